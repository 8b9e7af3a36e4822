// GB/T 1.1 drafting-rule findings in the editor: the checker (editor/checker) runs on the document a short
// while after it stops changing, the findings pane lists them (errors first, in the UI language; a click
// jumps to the clause as the outline does), and a decoration plugin marks the element at fault in the text
// with a coloured left border and the message as its tooltip. Between two runs the marks follow the text
// through the position mapping, so they never point at the wrong place while the author types.
import { Plugin, PluginKey, type Command, type EditorState, type Transaction } from 'prosemirror-state';
import { Decoration, DecorationSet, type EditorView } from 'prosemirror-view';
import type { Node } from 'prosemirror-model';
import { checkDraft, RULES, type Finding } from '../checker';
import type { DocJSON } from '../types';
import type { Lang, StringKey } from './i18n';
import { h } from './dom';
import { jumpTo } from './outline';
import { hangingToUntitledClause } from '../commands';

/**
 * One-click fixes, only for the findings whose fix is unambiguous: each acts on the element the finding
 * names, in place (never by inserting at the cursor). Rules not listed here are left to the drafters.
 */
const FIXES: Partial<Record<Finding['ruleId'], { label: StringKey; command: (f: Finding) => Command | null }>> = {
  'hanging-paragraph': { label: 'fixHanging', command: (f) => (f.clauseId ? hangingToUntitledClause(f.clauseId) : null) },
};

/** Quiet time after the last change before the checker runs. */
export const CHECK_DEBOUNCE_MS = 500;
/** Longest a check is put off while changes keep arriving (co-authors typing without pause). */
export const CHECK_MAX_WAIT_MS = 2000;

/** Findings listed in the pane at most (errors first); a very rough draft can have thousands. */
export const MAX_LISTED = 200;

export const findingsKey = new PluginKey<DecorationSet>('tongbiaoFindings');

/** The id of the element a finding marks: the block at fault when given, else its clause. */
function targetsOf(f: Finding): string[] {
  return [f.nodeId, f.clauseId].filter((id): id is string => typeof id === 'string' && id !== '');
}

/** Node decorations for the findings on the current document: one per element, worst severity wins. */
export function findingDecorations(doc: Node, findings: readonly Finding[], lang: Lang): DecorationSet {
  if (findings.length === 0) return DecorationSet.empty;
  const wanted = new Set(findings.flatMap(targetsOf));
  const positions = new Map<string, { from: number; to: number }>();
  doc.descendants((node, pos) => {
    const id = node.attrs.id as string | null | undefined;
    if (id && wanted.has(id) && !positions.has(id)) positions.set(id, { from: pos, to: pos + node.nodeSize });
    // Ids sit on blocks only: text and inline nodes never need a visit.
    return !node.isTextblock;
  });
  const byTarget = new Map<string, Finding[]>();
  for (const f of findings) {
    const target = targetsOf(f).find((id) => positions.has(id));
    if (!target) continue;
    byTarget.set(target, [...(byTarget.get(target) ?? []), f]);
  }
  const decorations = [...byTarget].map(([id, fs]) => {
    const { from, to } = positions.get(id)!;
    const severity = fs.some((f) => f.severity === 'error') ? 'error' : 'warning';
    return Decoration.node(from, to, {
      class: `tb-finding tb-finding-${severity}`,
      title: fs.map((f) => f.message[lang]).join('\n'),
      'data-finding-rules': [...new Set(fs.map((f) => f.ruleId))].join(' '),
    });
  });
  return DecorationSet.create(doc, decorations);
}

/** The plugin holding the marks: replaced by a transaction carrying new findings, mapped otherwise. */
export function findingsPlugin(): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key: findingsKey,
    state: {
      init: () => DecorationSet.empty,
      apply(tr: Transaction, set: DecorationSet, _old: EditorState, state: EditorState) {
        const next = tr.getMeta(findingsKey) as DecorationSet | ((doc: Node) => DecorationSet) | undefined;
        if (typeof next === 'function') return next(state.doc);
        return tr.docChanged ? set.map(tr.mapping, tr.doc) : set;
      },
    },
    props: {
      decorations: (state) => findingsKey.getState(state),
    },
  });
}

export interface FindingsPane {
  element: HTMLElement;
  /** Call after every transaction: schedules a check when the document changed. */
  noteChange(view: EditorView, docChanged: boolean): void;
  /** Runs the checker now (the first check after mounting, and tests). */
  checkNow(view: EditorView): Finding[];
  findings(): readonly Finding[];
  /** Milliseconds the last check took (document → JSON → checker → decorations). */
  lastCheckMs(): number;
  destroy(): void;
}

export function createFindingsPane(doc: Document, t: (key: StringKey) => string, lang: Lang): FindingsPane {
  const summary = h(doc, 'p', { class: 'tb-findings-summary', role: 'status', 'aria-live': 'polite' });
  const list = h(doc, 'ul', { class: 'tb-findings-list' });
  const element = h(doc, 'div', { class: 'tb-findings', 'data-errors': '0', 'data-warnings': '0' }, h(doc, 'h3', {}, t('findings')), summary, list);
  const win = doc.defaultView;
  let current: Finding[] = [];
  let elapsed = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pendingSince: number | null = null;
  let renderedKey = '';

  const render = (view: EditorView): void => {
    // Most checks after typing find the same: leave the pane (and its focus and scroll) alone then.
    const key = (view.editable ? 'edit\n' : 'read\n') + current.map((f) => `${f.ruleId}|${f.clauseId}|${f.nodeId ?? ''}|${f.message.en}`).join('\n');
    if (key === renderedKey && list.childElementCount > 0) return;
    renderedKey = key;
    const errors = current.filter((f) => f.severity === 'error');
    const warnings = current.filter((f) => f.severity === 'warning');
    element.dataset.errors = String(errors.length);
    element.dataset.warnings = String(warnings.length);
    summary.textContent = current.length === 0 ? t('noFindings') : `${errors.length} ${t('errors')} · ${warnings.length} ${t('warnings')}`;
    const listed = [...errors, ...warnings].slice(0, MAX_LISTED);
    const more = current.length - listed.length;
    list.replaceChildren(
      ...listed.map((f) => {
        const target = targetsOf(f);
        const item = h(doc, 'li', { class: `tb-finding-item tb-finding-item-${f.severity}`, 'data-rule': f.ruleId, 'data-clause-id': f.clauseId ?? '', title: RULES[f.ruleId].name[lang] });
        item.append(h(doc, 'span', { class: 'tb-finding-badge' }, t(f.severity === 'error' ? 'error' : 'warning')), f.message[lang]);
        const fix = FIXES[f.ruleId];
        const command = fix?.command(f);
        if (fix && command && view.editable && command(view.state)) {
          const button = h(doc, 'button', { type: 'button', class: 'tb-finding-fix', 'data-fix': f.ruleId }, t(fix.label));
          button.addEventListener('click', (e) => {
            e.stopPropagation();
            // Run on the document as it is now (the check may be up to a second old); the next check confirms.
            if (view.editable && command(view.state, view.dispatch)) {
              view.focus();
              checkNow(view);
            }
          });
          button.addEventListener('keydown', (e) => e.stopPropagation());
          item.append(' ', button);
        }
        if (target.length > 0) {
          item.tabIndex = 0;
          const go = (): void => {
            // The block may be gone since the check (deleted by a co-author): fall back to its clause.
            for (const id of target) if (jumpTo(view, id)) return;
          };
          item.addEventListener('click', go);
          item.addEventListener('keydown', (e) => {
            if (e.key === 'Enter') go();
          });
        }
        return item;
      }),
      ...(more > 0 ? [h(doc, 'li', { class: 'tb-findings-more' }, `${t('moreFindings')} ${more}`)] : []),
    );
  };

  function checkNow(view: EditorView): Finding[] {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    pendingSince = null;
    const started = performance.now();
    current = checkDraft(view.state.doc.toJSON() as DocJSON);
    const found = current;
    view.dispatch(view.state.tr.setMeta(findingsKey, (d: Node) => findingDecorations(d, found, lang)).setMeta('addToHistory', false));
    elapsed = performance.now() - started;
    element.dataset.checkMs = elapsed.toFixed(1);
    render(view);
    return current;
  }

  return {
    element,
    noteChange(view, docChanged) {
      if (!docChanged) return;
      const now = Date.now();
      pendingSince ??= now;
      if (timer !== null) clearTimeout(timer);
      const wait = Math.max(0, Math.min(CHECK_DEBOUNCE_MS, pendingSince + CHECK_MAX_WAIT_MS - now));
      timer = (win ?? globalThis).setTimeout(() => {
        if (!view.isDestroyed) checkNow(view);
      }, wait);
    },
    checkNow,
    findings: () => current,
    lastCheckMs: () => elapsed,
    destroy() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
