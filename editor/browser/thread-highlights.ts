// Highlights of the comment threads' passages in the editor: inline decorations the threads pane
// (./threads.ts) sets from resolved anchors, mapped through every transaction until the pane resolves them
// again, so they stay on the words while anyone types. A remote change arrives from y-prosemirror as one
// whole-document replacement, through which nothing maps: the passages are then resolved again at once from
// their anchors. The active thread's passage is marked darker.
import { Plugin, PluginKey, type EditorState, type Transaction } from 'prosemirror-state';
import type { Node as PMNode } from 'prosemirror-model';
import { Decoration, DecorationSet } from 'prosemirror-view';

export interface ThreadHighlight {
  id: string;
  from: number;
  to: number;
  resolved: boolean;
}

interface HighlightMeta {
  ranges: ThreadHighlight[];
  active: string | null;
}

interface HighlightState {
  set: DecorationSet;
  active: string | null;
}

export interface ThreadHighlightsOptions {
  /** Whether the transaction is a remote change rendered by the Yjs binding (a whole-document replacement). */
  isRemote: (tr: Transaction) => boolean;
  /** The passages resolved again in `doc` from their anchors; null when there is nothing to show yet. */
  resolveAll: (doc: PMNode) => ThreadHighlight[] | null;
}

export const threadHighlightsKey = new PluginKey<HighlightState>('tbThreadHighlights');

function build(doc: PMNode, meta: HighlightMeta): DecorationSet {
  const size = doc.content.size;
  const decos = meta.ranges
    .filter((r) => !r.resolved && r.from >= 0 && r.to <= size && r.from < r.to)
    .map((r) =>
      Decoration.inline(r.from, r.to, { class: r.id === meta.active ? 'tb-thread-mark tb-thread-mark--active' : 'tb-thread-mark', 'data-thread-id': r.id }, { threadId: r.id }),
    );
  return DecorationSet.create(doc, decos);
}

export function threadHighlightsPlugin(opts: ThreadHighlightsOptions): Plugin<HighlightState> {
  return new Plugin<HighlightState>({
    key: threadHighlightsKey,
    state: {
      init: () => ({ set: DecorationSet.empty, active: null }),
      apply(tr: Transaction, prev: HighlightState, _old: EditorState, state: EditorState): HighlightState {
        const meta = tr.getMeta(threadHighlightsKey) as HighlightMeta | undefined;
        if (meta) return { set: build(state.doc, meta), active: meta.active };
        if (!tr.docChanged) return prev;
        const ranges = opts.isRemote(tr) ? opts.resolveAll(tr.doc) : null;
        return { set: ranges ? build(tr.doc, { ranges, active: prev.active }) : prev.set.map(tr.mapping, tr.doc), active: prev.active };
      },
    },
    props: {
      decorations: (state) => threadHighlightsKey.getState(state)?.set,
    },
  });
}

/** A transaction that replaces the highlighted ranges (no document change, not added to undo history). */
export function setThreadHighlights(tr: Transaction, ranges: ThreadHighlight[], active: string | null): Transaction {
  return tr.setMeta(threadHighlightsKey, { ranges, active } satisfies HighlightMeta).setMeta('addToHistory', false);
}
