// Presence: who else has the document open, with their name and (province) colour. The same user state
// drives the remote cursors drawn by y-prosemirror's cursor plugin.
import type { Awareness } from 'y-protocols/awareness';
import { h } from './dom';

export interface PresenceUser {
  name: string;
  color: string;
  province?: string;
}

const PROVINCE_NAMES: Record<string, string> = { SH: '沪', JS: '苏', ZJ: '浙' };

export function isPresenceUser(x: unknown): x is PresenceUser {
  const u = x as PresenceUser | undefined;
  return typeof u?.name === 'string' && typeof u.color === 'string';
}

/** Renders the list of connected users into a new element and keeps it current. */
export function createPresence(doc: Document, awareness: Awareness, heading: string, meSuffix: string): { element: HTMLElement; destroy(): void } {
  const list = h(doc, 'ul', { class: 'tb-presence' });
  const element = h(doc, 'div', {}, h(doc, 'h3', {}, heading), list);
  let lastKey = '';
  const render = (): void => {
    // Awareness changes with every cursor move; redraw only when the people (or their colours) change.
    const key = [...awareness.getStates()]
      .map(([id, state]) => {
        const user = (state as { user?: unknown }).user;
        return isPresenceUser(user) ? `${id}:${user.name}:${user.color}:${user.province ?? ''}` : '';
      })
      .join('|');
    if (key === lastKey) return;
    lastKey = key;
    const items: HTMLElement[] = [];
    awareness.getStates().forEach((state, clientId) => {
      const user = (state as { user?: unknown }).user;
      if (!isPresenceUser(user)) return;
      const me = clientId === awareness.clientID;
      const province = user.province ? `〔${PROVINCE_NAMES[user.province] ?? user.province}〕` : '';
      items.push(
        h(doc, 'li', { 'data-client': String(clientId), 'data-user-name': user.name }, h(doc, 'span', { class: 'tb-dot', style: `background:${user.color}` }), `${user.name}${province}${me ? meSuffix : ''}`),
      );
    });
    list.replaceChildren(...items);
  };
  awareness.on('change', render);
  render();
  return { element, destroy: () => awareness.off('change', render) };
}
