// The comment threads pane beside the draft (issue 15): select text → 添加批注 opens a thread on it, anchored
// by Yjs relative positions (../thread-anchors.ts) so the highlight follows the words; threads list with a
// filter (open / resolved / mine / all), replies, @mentions with suggestions, resolve and reopen for the
// drafting group. Threads go over HTTP (server/extensions/draft-threads.ts), not the Y.Doc, so read-only
// readers (bureaus, experts) comment too. The list is polled every few seconds while the page is visible.
import type * as Y from 'yjs';
import { ySyncPluginKey } from 'y-prosemirror';
import type { EditorView } from 'prosemirror-view';
import type { Node as PMNode } from 'prosemirror-model';
import { TextSelection } from 'prosemirror-state';
import { encodeThreadAnchor, MAX_QUOTE_CHARS, quoteOf, resolveThreadAnchor, type EncodedThreadAnchor, type YMapping } from '../thread-anchors';
import { h } from './dom';
import { setThreadHighlights, type ThreadHighlight } from './thread-highlights';

const POLL_MS = 4000;
const MENTION = /@([a-z0-9][a-z0-9._-]{1,39})/g;

type Lang = 'zh' | 'en';
const WORDS = {
  title: { zh: '批注', en: 'Comments' },
  add: { zh: '添加批注', en: 'Comment' },
  selectFirst: { zh: '请先在正文中选中要批注的文字', en: 'Select the text to comment on first' },
  tooLong: { zh: `选中的文字过长（最多 ${MAX_QUOTE_CHARS} 字），请缩小选择`, en: `The selection is too long (at most ${MAX_QUOTE_CHARS} characters)` },
  send: { zh: '发表', en: 'Post' },
  cancel: { zh: '取消', en: 'Cancel' },
  reply: { zh: '回复', en: 'Reply' },
  resolve: { zh: '解决', en: 'Resolve' },
  reopen: { zh: '重新打开', en: 'Reopen' },
  resolved: { zh: '已解决', en: 'Resolved' },
  deleted: { zh: '原文已删除', en: 'the text was deleted' },
  none: { zh: '暂无批注', en: 'No comments' },
  placeholder: { zh: '输入批注，可用 @用户名 提及他人', en: 'Write a comment; @username mentions someone' },
  all: { zh: '全部', en: 'All' },
  open: { zh: '未解决', en: 'Open' },
  mine: { zh: '与我有关', en: 'Mine' },
  failed: { zh: '操作失败', en: 'Failed' },
} as const;

export interface ThreadView {
  id: string;
  anchor: EncodedThreadAnchor;
  quote: string;
  text: string;
  author: { displayName: string; province?: string };
  status: 'open' | 'resolved';
  replyCount: number;
  createdAt: string;
  resolvedBy?: string;
}
interface ReplyView {
  id: string;
  text: string;
  author: { displayName: string };
  createdAt: string;
}

export interface ThreadsOptions {
  /** `/api/standards/<id>/threads`. */
  url: string;
  csrfToken?: string;
  lang: Lang;
  /** Whether this user resolves and reopens (the drafting group, the lead department). */
  canResolve: boolean;
  ydoc: Y.Doc;
  type: Y.XmlFragment;
}

export interface ThreadsPane {
  element: HTMLElement;
  /** Re-resolves the anchors after document changes (debounced). */
  noteChange(): void;
  /** The open threads' passages in `doc` (the document a transaction is producing), for the highlights. */
  resolveAll(doc: PMNode): ThreadHighlight[] | null;
  threads(): readonly ThreadView[];
  refresh(): Promise<void>;
  destroy(): void;
}

class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export function createThreadsPane(doc: Document, getView: () => EditorView, o: ThreadsOptions): ThreadsPane {
  const w = (k: keyof typeof WORDS): string => WORDS[k][o.lang];
  const win = doc.defaultView;
  let filter = 'open';
  let list: ThreadView[] = [];
  let active: string | null = null;
  const replies = new Map<string, { count: number; items: ReplyView[] }>();
  const cards = new Map<string, HTMLElement>();

  async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${o.url}${path}`, {
      method,
      credentials: 'same-origin',
      headers: { Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}), ...(o.csrfToken ? { 'X-CSRF-Token': o.csrfToken } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await res.json().catch(() => ({}))) as T & { message_zh?: string; message_en?: string };
    if (!res.ok) throw new ApiError(res.status, (o.lang === 'zh' ? json.message_zh : json.message_en) ?? `${w('failed')} (${res.status})`);
    return json;
  }
  const mentionsOf = (text: string): string[] => [...new Set([...text.matchAll(MENTION)].map((m) => m[1]))];

  const errorEl = h(doc, 'p', { class: 'tb-thread-error', role: 'alert', hidden: '' });
  const showError = (e: unknown): void => {
    errorEl.textContent = e instanceof Error ? e.message : w('failed');
    errorEl.hidden = false;
  };
  const clearError = (): void => {
    errorEl.hidden = true;
  };

  /** A textarea with @ completion from the people who may read the draft. */
  function composer(onSend: (text: string) => Promise<void>, onCancel?: () => void): HTMLElement {
    const area = h(doc, 'textarea', { class: 'tb-thread-input', rows: '3', placeholder: w('placeholder'), 'aria-label': w('placeholder'), maxlength: '4000' });
    const people = h(doc, 'div', { class: 'tb-thread-people' });
    const send = h(doc, 'button', { type: 'button', class: 'tb-thread-send' }, w('send'));
    let seq = 0;
    area.addEventListener('input', () => {
      const before = area.value.slice(0, area.selectionStart ?? area.value.length);
      const m = /@([a-z0-9._-]*)$/i.exec(before);
      people.replaceChildren();
      if (!m) return;
      const mine = ++seq;
      api<{ items: Array<{ username: string; displayName: string }> }>('GET', `/people?q=${encodeURIComponent(m[1])}`)
        .then(({ items }) => {
          if (mine !== seq) return;
          people.replaceChildren(
            ...items.map((p) => {
              const b = h(doc, 'button', { type: 'button', 'data-username': p.username }, `${p.displayName} @${p.username}`);
              b.addEventListener('click', () => {
                const at = before.length - m[0].length;
                area.value = `${area.value.slice(0, at)}@${p.username} ${area.value.slice(before.length)}`;
                people.replaceChildren();
                area.focus();
              });
              return b;
            }),
          );
        })
        .catch(() => people.replaceChildren());
    });
    send.addEventListener('click', () => {
      const text = area.value.trim();
      if (!text) return;
      send.disabled = true;
      onSend(text)
        .then(() => {
          area.value = '';
          clearError();
        }, showError)
        .finally(() => {
          send.disabled = false;
        });
    });
    const buttons = h(doc, 'div', { class: 'tb-thread-buttons' }, send);
    if (onCancel) {
      const cancel = h(doc, 'button', { type: 'button' }, w('cancel'));
      cancel.addEventListener('click', onCancel);
      buttons.append(cancel);
    }
    return h(doc, 'div', { class: 'tb-thread-composer' }, area, people, buttons);
  }

  // --- new thread -----------------------------------------------------------------------------------
  /** The selected range: ProseMirror's, or the DOM's inside the view (a read-only view does not track it). */
  function selectedRange(view: EditorView): { from: number; to: number } | null {
    const sel = win?.getSelection();
    if (sel && sel.rangeCount > 0 && !sel.isCollapsed && sel.anchorNode && sel.focusNode && view.dom.contains(sel.anchorNode) && view.dom.contains(sel.focusNode)) {
      const a = view.posAtDOM(sel.anchorNode, sel.anchorOffset);
      const b = view.posAtDOM(sel.focusNode, sel.focusOffset);
      if (a !== b) return { from: Math.min(a, b), to: Math.max(a, b) };
    }
    const { from, to } = view.state.selection;
    return from < to ? { from, to } : null;
  }
  const mappingOf = (view: EditorView): YMapping | undefined => (ySyncPluginKey.getState(view.state) as { binding?: { mapping: YMapping } } | undefined)?.binding?.mapping;

  const newBox = h(doc, 'div', { class: 'tb-thread-new', hidden: '' });
  const addButton = h(doc, 'button', { type: 'button', class: 'tb-thread-add' }, w('add'));
  addButton.addEventListener('click', () => {
    const view = getView();
    const range = selectedRange(view);
    const mapping = mappingOf(view);
    if (!range || !mapping) return showError(new Error(w('selectFirst')));
    const quote = quoteOf(view.state.doc, range.from, range.to);
    if (!quote.trim()) return showError(new Error(w('selectFirst')));
    if (quote.length > MAX_QUOTE_CHARS) return showError(new Error(w('tooLong')));
    clearError();
    const anchor = encodeThreadAnchor(o.type, mapping, range.from, range.to);
    const close = (): void => {
      newBox.hidden = true;
      newBox.replaceChildren();
    };
    newBox.replaceChildren(
      h(doc, 'blockquote', { class: 'tb-thread-quote' }, quote),
      composer(async (text) => {
        const t = await api<ThreadView>('POST', '', { anchor, quote, text, mentions: mentionsOf(text) });
        close();
        active = t.id;
        await refresh();
      }, close),
    );
    newBox.hidden = false;
    newBox.querySelector('textarea')?.focus();
  });

  // --- list ------------------------------------------------------------------------------------------
  const filterEl = h(doc, 'select', { class: 'tb-thread-filter', 'aria-label': w('title') });
  for (const f of ['open', 'resolved', 'mine', 'all'] as const) filterEl.append(h(doc, 'option', { value: f }, w(f)));
  filterEl.value = filter;
  filterEl.addEventListener('change', () => {
    filter = filterEl.value;
    void refresh();
  });
  const listEl = h(doc, 'div', { class: 'tb-thread-list' });
  const element = h(doc, 'section', { class: 'tb-threads', 'aria-label': w('title') }, h(doc, 'h3', {}, w('title')), h(doc, 'div', { class: 'tb-thread-bar' }, addButton, filterEl), errorEl, newBox, listEl);

  function card(t: ThreadView): HTMLElement {
    let el = cards.get(t.id);
    if (!el) {
      el = h(doc, 'article', { class: 'tb-thread', 'data-thread-id': t.id });
      const head = h(doc, 'div', { class: 'tb-thread-head' });
      const repliesEl = h(doc, 'ol', { class: 'tb-thread-replies' });
      const actions = h(doc, 'div', { class: 'tb-thread-actions' });
      const replyBox = composer(async (text) => {
        await api('POST', `/${t.id}/replies`, { text, mentions: mentionsOf(text) });
        await refresh();
      });
      replyBox.classList.add('tb-thread-reply');
      el.append(head, repliesEl, replyBox, actions);
      head.addEventListener('click', () => select(t.id));
      cards.set(t.id, el);
    }
    const [head, repliesEl, replyBox, actions] = Array.from(el.children) as HTMLElement[];
    const where = locate(t);
    el.dataset.status = t.status;
    el.dataset.anchor = where ? 'present' : 'deleted';
    el.classList.toggle('tb-thread--active', t.id === active);
    head.replaceChildren(
      where
        ? h(doc, 'blockquote', { class: 'tb-thread-quote' }, t.quote)
        : h(doc, 'p', { class: 'tb-thread-deleted' }, `「${t.quote}」 — ${w('deleted')}`),
      h(doc, 'p', { class: 'tb-thread-text' }, h(doc, 'b', {}, t.author.displayName), '：', t.text),
      ...(t.status === 'resolved' ? [h(doc, 'p', { class: 'tb-thread-state' }, `${w('resolved')}${t.resolvedBy ? ` · ${t.resolvedBy}` : ''}`)] : []),
    );
    repliesEl.replaceChildren(...(replies.get(t.id)?.items ?? []).map((r) => h(doc, 'li', {}, h(doc, 'b', {}, r.author.displayName), '：', r.text)));
    replyBox.hidden = t.status === 'resolved';
    actions.replaceChildren();
    if (o.canResolve) {
      const verb = t.status === 'open' ? 'resolve' : 'reopen';
      const b = h(doc, 'button', { type: 'button', class: `tb-thread-${verb}` }, w(verb));
      b.addEventListener('click', () => {
        b.disabled = true;
        api('POST', `/${t.id}/${verb}`, {})
          .then(() => refresh(), showError)
          .finally(() => {
            b.disabled = false;
          });
      });
      actions.append(b);
    }
    return el;
  }

  /** Where a thread's passage is in the live document now, or null when its text was deleted. */
  function locate(t: ThreadView, inDoc?: PMNode): { from: number; to: number } | null {
    const view = getView();
    const mapping = mappingOf(view);
    if (!mapping) return null;
    const r = resolveThreadAnchor(o.ydoc, o.type, mapping, inDoc ?? view.state.doc, t.anchor);
    return r.state === 'present' ? { from: r.from, to: r.to } : null;
  }

  function select(id: string): void {
    active = id;
    const t = list.find((x) => x.id === id);
    const where = t ? locate(t) : null;
    const view = getView();
    if (where) {
      view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, where.from, where.to)).scrollIntoView());
    }
    render();
  }

  function ranges(inDoc?: PMNode): ThreadHighlight[] {
    return list.flatMap((t) => {
      if (t.status === 'resolved') return [];
      const where = locate(t, inDoc);
      return where ? [{ id: t.id, ...where, resolved: false }] : [];
    });
  }
  function highlight(): void {
    const view = getView();
    view.dispatch(setThreadHighlights(view.state.tr, ranges(), active));
  }

  function render(): void {
    const shown = list.map(card);
    listEl.replaceChildren(...(shown.length ? shown : [h(doc, 'p', { class: 'tb-thread-none' }, w('none'))]));
    highlight();
  }

  let refreshing: Promise<void> | null = null;
  async function load(): Promise<void> {
    const all: ThreadView[] = [];
    let next: string | undefined;
    do {
      const page = await api<{ items: ThreadView[]; next?: string }>('GET', `?filter=${filter}&limit=100${next ? `&after=${encodeURIComponent(next)}` : ''}`);
      all.push(...page.items);
      next = page.next;
    } while (next);
    for (const t of all) {
      const known = replies.get(t.id);
      if (t.replyCount === 0 || known?.count === t.replyCount) continue;
      const items: ReplyView[] = [];
      let after: string | undefined;
      do {
        const page = await api<{ items: ReplyView[]; next?: string }>('GET', `/${t.id}/replies?limit=100${after ? `&after=${encodeURIComponent(after)}` : ''}`);
        items.push(...page.items);
        after = page.next;
      } while (after);
      replies.set(t.id, { count: t.replyCount, items });
    }
    list = all;
    render();
  }
  function refresh(): Promise<void> {
    refreshing ??= load().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  let changeTimer: ReturnType<typeof setTimeout> | null = null;
  const timer = setInterval(() => {
    if (doc.visibilityState !== 'hidden') refresh().catch(() => undefined);
  }, POLL_MS);
  refresh().catch(showError);

  return {
    element,
    noteChange() {
      if (changeTimer) return;
      changeTimer = setTimeout(() => {
        changeTimer = null;
        if (list.length) render();
      }, 300);
    },
    resolveAll: (inDoc) => (list.length ? ranges(inDoc) : null),
    threads: () => list,
    refresh,
    destroy() {
      clearInterval(timer);
      if (changeTimer) clearTimeout(changeTimer);
    },
  };
}
