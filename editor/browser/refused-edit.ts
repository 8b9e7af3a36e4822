// The notice a suggest-only author sees when the server refused their last change (issue 15): the server
// closed the socket with 4403 'not a suggestion' (server/collab/suggest-guard.ts could neither accept nor
// repair it), so nothing of it was stored, and resending it would be refused again. The page (./main.ts)
// reloads the room into a fresh editor and shows this notice above it, in Chinese and English, with the
// paragraphs the author had typed that the reloaded document does not hold (editor/suggestions-kept.ts),
// in a read-only text box with a copy button, so no words are lost silently. The text also waits in the tab's
// sessionStorage until dismissed, so reloading the page shows it again.
import type { KeptParagraph } from '../suggestions-kept';
import { h } from './dom';
import { injectStyleOnce } from './styles';

const NOTICE_CSS = `
.tb-refused-edit { border: 1px solid #c92a2a; background: #fff5f5; color: #1f1f1f; padding: 8px 12px; margin: 0 0 8px; font-size: 14px; }
.tb-refused-edit p { margin: 4px 0; }
.tb-refused-edit textarea { width: 100%; box-sizing: border-box; min-height: 6em; font: inherit; }
.tb-refused-edit button { font: inherit; font-size: 13px; margin: 4px 6px 0 0; }
`;

const TEXT = {
  zh: {
    what: '您最后的修改未能作为修改建议保存：服务器拒绝了它，未保存也未发送给他人。编辑器已重新载入文档，您可以继续提出修改建议。',
    kept: '以下是您输入而重新载入的文档中没有的段落内容（按您的版本），可复制后重新输入：',
    none: '重新载入的文档与您的版本没有文字差异。',
    copy: '复制',
    copied: '已复制',
    dismiss: '关闭',
  },
  en: {
    what: 'Your last change could not be applied as a suggestion: the server refused it, so it was neither saved nor sent to others. The editor reloaded the document; you can go on suggesting.',
    kept: 'Below, the paragraphs as you typed them that the reloaded document does not hold, to copy and enter again:',
    none: 'The reloaded document has no text that differs from your version.',
    copy: 'Copy',
    copied: 'Copied',
    dismiss: 'Dismiss',
  },
} as const;

/** Where the kept text waits in this tab (sessionStorage), so reloading the page does not drop it. */
const storageKey = (root: HTMLElement): string => `tb-refused-edit:${root.dataset.doc ?? ''}`;

interface Stored {
  text: string;
  count: number;
}

function stored(root: HTMLElement): Stored | null {
  try {
    const raw = root.ownerDocument.defaultView?.sessionStorage.getItem(storageKey(root));
    const value = raw ? (JSON.parse(raw) as Partial<Stored>) : null;
    return value && typeof value.text === 'string' && typeof value.count === 'number' ? { text: value.text, count: value.count } : null;
  } catch {
    return null;
  }
}

function store(root: HTMLElement, value: Stored | null): void {
  try {
    const storage = root.ownerDocument.defaultView?.sessionStorage;
    if (value) storage?.setItem(storageKey(root), JSON.stringify(value));
    else storage?.removeItem(storageKey(root));
  } catch {
    // Storage refused (private mode, quota): the notice on the page still holds the text.
  }
}

/**
 * Shows (or extends) the notice right before `root`: a later refusal adds its paragraphs to the ones still
 * shown (or kept in this tab's storage from before a reload of the page). Chinese first, English below; the
 * buttons' labels follow `lang`. Returns the notice element.
 */
export function showRefusedEdit(root: HTMLElement, kept: readonly KeptParagraph[], lang: 'zh' | 'en'): HTMLElement {
  const sibling = root.previousElementSibling as HTMLElement | null;
  const previous = sibling?.classList.contains('tb-refused-edit') ? sibling : null;
  previous?.remove();
  const earlier = stored(root);
  const text = [earlier?.text ?? '', ...kept.map((k) => k.text)].filter((s) => s !== '').join('\n\n');
  const value = { text, count: (earlier?.count ?? 0) + kept.length };
  store(root, value);
  return render(root, value, lang);
}

/** After a reload of the page: shows the notice again when this tab still keeps refused text for the document. */
export function restoreRefusedEdit(root: HTMLElement, lang: 'zh' | 'en'): HTMLElement | null {
  const value = stored(root);
  return value ? render(root, value, lang) : null;
}

function render(root: HTMLElement, { text, count }: Stored, lang: 'zh' | 'en'): HTMLElement {
  const doc = root.ownerDocument;
  injectStyleOnce(doc, 'tb-refused-style', NOTICE_CSS);
  const labels = TEXT[lang];
  const notice = h(doc, 'div', { class: 'tb-refused-edit', role: 'alert', 'data-kept': String(count) });
  notice.append(h(doc, 'p', { lang: 'zh-CN' }, TEXT.zh.what), h(doc, 'p', { lang: 'en' }, TEXT.en.what));
  if (text === '') {
    notice.append(h(doc, 'p', { lang: 'zh-CN' }, TEXT.zh.none), h(doc, 'p', { lang: 'en' }, TEXT.en.none));
  } else {
    const box = h(doc, 'textarea', { readonly: '', 'aria-label': `${TEXT.zh.kept} ${TEXT.en.kept}` });
    box.value = text;
    const copy = h(doc, 'button', { type: 'button', 'data-action': 'copy' }, labels.copy);
    copy.addEventListener('click', () => {
      box.select();
      const done = (): void => void (copy.textContent = labels.copied);
      const clipboard = doc.defaultView?.navigator.clipboard;
      if (clipboard) clipboard.writeText(box.value).then(done, () => undefined);
      else if (doc.execCommand('copy')) done();
    });
    notice.append(h(doc, 'p', { lang: 'zh-CN' }, TEXT.zh.kept), h(doc, 'p', { lang: 'en' }, TEXT.en.kept), box, copy);
  }
  const dismiss = h(doc, 'button', { type: 'button', 'data-action': 'dismiss' }, labels.dismiss);
  dismiss.addEventListener('click', () => {
    notice.remove();
    store(root, null);
  });
  notice.append(dismiss);
  root.before(notice);
  return notice;
}
