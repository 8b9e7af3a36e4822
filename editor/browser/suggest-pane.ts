// Suggested changes in the browser (issue 15): the toolbar toggle 建议模式 / Suggesting, the side pane that
// lists the suggestions (author in their province colour, excerpt, 接受 / 拒绝 each; 全部接受 / 全部拒绝, also
// for one author) and the styles that show them in the text (insertions underlined, deletions struck
// through, in the author's province colour). The suggestions live in the document (../suggestions.ts), so the
// pane is rebuilt from the document after changes, at most once per frame.
import type { EditorView } from 'prosemirror-view';
import { TextSelection } from 'prosemirror-state';
import { listSuggestions, type SuggestionInfo } from '../suggestions';
import { acceptAllCommand, acceptCommand, isSuggesting, rejectAllCommand, rejectCommand, setSuggesting } from '../suggestions-plugin';
import { PROVINCE_COLORS } from './config';
import { h } from './dom';
import { injectStyleOnce } from './styles';

type Lang = 'zh' | 'en';
const WORDS = {
  title: { zh: '修改建议', en: 'Suggestions' },
  mode: { zh: '建议模式', en: 'Suggesting' },
  modeOnlyTitle: { zh: '您只能以修改建议的方式修改草案', en: 'You may only suggest changes to this draft' },
  modeTitle: { zh: '开启后，您的修改记为建议，由起草组接受或拒绝', en: 'When on, your edits are recorded as suggestions for the drafting group to accept or reject' },
  insert: { zh: '插入', en: 'Insert' },
  delete: { zh: '删除', en: 'Delete' },
  accept: { zh: '接受', en: 'Accept' },
  reject: { zh: '拒绝', en: 'Reject' },
  acceptAll: { zh: '全部接受', en: 'Accept all' },
  rejectAll: { zh: '全部拒绝', en: 'Reject all' },
  everyone: { zh: '所有人', en: 'Everyone' },
  none: { zh: '暂无修改建议', en: 'No suggestions' },
} as const;

export interface SuggestPaneOptions {
  lang: Lang;
  /** Whether this user accepts and rejects (the drafting group). */
  canResolve: boolean;
  /** The user may only suggest: the toggle stays on. */
  suggestOnly: boolean;
  /**
   * Makes a decision: records what this user has seen (../suggestions-provenance.ts), so words typed into the
   * suggestions concurrently are not decided with them, then runs `apply` (the accept or reject) as one step of
   * the undo history (../suggestions-undo.ts). Without it the decision is applied as it is.
   */
  decide?(decision: 'accept' | 'reject', sids: string[], apply: () => void): void;
}

export interface SuggestPane {
  element: HTMLElement;
  /** The toolbar toggle. */
  toggle: HTMLButtonElement;
  /** Rebuilds the list and the toggle from the view (call after transactions; cheap when nothing changed). */
  update(view: EditorView, editable: boolean): void;
  suggestions(): readonly SuggestionInfo[];
}

const CSS = `
.tb-editor .ProseMirror ins.tb-suggestInsert { text-decoration: underline 2px; text-underline-offset: 2px; background: #f3f0ff; }
.tb-editor .ProseMirror del.tb-suggestDelete { text-decoration: line-through 2px; opacity: .75; }
.tb-editor .ProseMirror [data-suggest="insert"] { box-shadow: inset 3px 0 0 #7048e8; background: #f8f7ff; }
.tb-editor .ProseMirror [data-suggest="delete"] { box-shadow: inset 3px 0 0 #7048e8; text-decoration: line-through; opacity: .75; }
${Object.entries(PROVINCE_COLORS)
  .map(
    ([p, c]) =>
      `.tb-editor .ProseMirror ins.tb-suggestInsert[data-province="${p}"], .tb-editor .ProseMirror del.tb-suggestDelete[data-province="${p}"] { color: ${c}; text-decoration-color: ${c}; }\n` +
      `.tb-editor .ProseMirror [data-suggest][data-province="${p}"] { box-shadow: inset 3px 0 0 ${c}; }\n` +
      `.tb-suggestion[data-province="${p}"] { border-left-color: ${c}; }`,
  )
  .join('\n')}
.tb-toolbar button.tb-suggest-toggle[aria-pressed="true"] { background: #7048e8; color: #fff; }
.tb-suggestions { border-bottom: 1px solid #ddd; padding-bottom: 8px; margin-bottom: 8px; }
.tb-suggestions button, .tb-suggestions select { font: inherit; font-size: 12px; padding: 1px 6px; }
.tb-suggest-bar { display: flex; gap: 4px; flex-wrap: wrap; align-items: center; }
.tb-suggestion { border: 1px solid #e9ecef; border-left: 3px solid #7048e8; border-radius: 4px; padding: 4px 6px; margin: 6px 0; background: #fff; }
.tb-suggestion-head { cursor: pointer; margin: 0; }
.tb-suggestion-text { margin: 2px 0; white-space: pre-wrap; max-height: 4.5em; overflow: hidden; }
.tb-suggestion[data-kind="delete"] .tb-suggestion-text { text-decoration: line-through; }
`;

export function createSuggestPane(doc: Document, getView: () => EditorView, o: SuggestPaneOptions): SuggestPane {
  const w = (k: keyof typeof WORDS): string => WORDS[k][o.lang];
  injectStyleOnce(doc, 'tb-suggest-css', CSS);
  const run = (cmd: ReturnType<typeof acceptCommand>, decision: 'accept' | 'reject', sids: string[]): void => {
    const view = getView();
    const apply = (): void => void cmd(view.state, view.dispatch, view);
    if (sids.length && o.decide && cmd(view.state)) o.decide(decision, sids, apply);
    else apply();
    view.focus();
  };

  const toggle = h(doc, 'button', { type: 'button', class: 'tb-suggest-toggle', 'data-command': 'suggest', 'aria-pressed': 'false', title: o.suggestOnly ? w('modeOnlyTitle') : w('modeTitle') }, w('mode'));
  toggle.addEventListener('mousedown', (e) => e.preventDefault());
  toggle.addEventListener('click', () => {
    const view = getView();
    setSuggesting(!isSuggesting(view.state))(view.state, view.dispatch);
    view.focus();
  });

  const authorEl = h(doc, 'select', { class: 'tb-suggest-author', 'aria-label': w('everyone') });
  const acceptAllButton = h(doc, 'button', { type: 'button', 'data-action': 'accept-all' }, w('acceptAll'));
  const rejectAllButton = h(doc, 'button', { type: 'button', 'data-action': 'reject-all' }, w('rejectAll'));
  const by = (): string | undefined => authorEl.value || undefined;
  const sidsOf = (author: string | undefined): string[] => listSuggestions(getView().state.doc).filter((s) => author === undefined || s.by === author).map((s) => s.sid);
  acceptAllButton.addEventListener('click', () => run(acceptAllCommand(by()), 'accept', sidsOf(by())));
  rejectAllButton.addEventListener('click', () => run(rejectAllCommand(by()), 'reject', sidsOf(by())));
  const bar = h(doc, 'div', { class: 'tb-suggest-bar' }, authorEl, acceptAllButton, rejectAllButton);
  const listEl = h(doc, 'div', { class: 'tb-suggest-list' });
  const element = h(doc, 'section', { class: 'tb-suggestions', 'aria-label': w('title') }, h(doc, 'h3', {}, w('title')), ...(o.canResolve ? [bar] : []), listEl);

  let current: SuggestionInfo[] = [];
  let lastDoc: unknown = null;
  let lastEditable: boolean | null = null;

  function item(s: SuggestionInfo, editable: boolean): HTMLElement {
    const head = h(doc, 'p', { class: 'tb-suggestion-head' }, `${s.name}${s.province ? ` (${s.province})` : ''} · ${w(s.kind)}`);
    head.addEventListener('click', () => {
      const view = getView();
      const pos = Math.min(s.from + 1, view.state.doc.content.size);
      view.dispatch(view.state.tr.setSelection(TextSelection.near(view.state.doc.resolve(pos))).scrollIntoView());
      view.focus();
    });
    const el = h(doc, 'div', { class: 'tb-suggestion', 'data-sid': s.sid, 'data-kind': s.kind, 'data-province': s.province, 'data-by': s.by }, head, h(doc, 'p', { class: 'tb-suggestion-text' }, s.text));
    if (o.canResolve && editable) {
      const accept = h(doc, 'button', { type: 'button', 'data-action': 'accept' }, w('accept'));
      const reject = h(doc, 'button', { type: 'button', 'data-action': 'reject' }, w('reject'));
      accept.addEventListener('click', () => run(acceptCommand(s.sid), 'accept', [s.sid]));
      reject.addEventListener('click', () => run(rejectCommand(s.sid), 'reject', [s.sid]));
      el.append(h(doc, 'div', { class: 'tb-suggest-bar' }, accept, reject));
    }
    return el;
  }

  function renderAuthors(): void {
    const authors = new Map<string, string>();
    for (const s of current) authors.set(s.by, s.name);
    const chosen = authorEl.value;
    authorEl.replaceChildren(h(doc, 'option', { value: '' }, w('everyone')), ...[...authors].map(([id, name]) => h(doc, 'option', { value: id }, name)));
    authorEl.value = authors.has(chosen) ? chosen : '';
  }

  return {
    element,
    toggle,
    update(view, editable) {
      const on = isSuggesting(view.state);
      toggle.setAttribute('aria-pressed', String(on));
      toggle.disabled = !editable || o.suggestOnly;
      if (view.state.doc === lastDoc && editable === lastEditable) return;
      lastDoc = view.state.doc;
      lastEditable = editable;
      current = listSuggestions(view.state.doc);
      element.dataset.count = String(current.length);
      acceptAllButton.disabled = rejectAllButton.disabled = !editable || current.length === 0;
      renderAuthors();
      listEl.replaceChildren(...(current.length ? current.map((s) => item(s, editable)) : [h(doc, 'p', { class: 'tb-suggest-none' }, w('none'))]));
    },
    suggestions: () => current,
  };
}
