// Highlights of the comment threads' passages in the editor: inline decorations the threads pane
// (./threads.ts) sets from resolved anchors, mapped through every transaction until the pane resolves them
// again, so they stay on the words while anyone types. The active thread's passage is marked darker.
import { Plugin, PluginKey, type EditorState, type Transaction } from 'prosemirror-state';
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

export const threadHighlightsKey = new PluginKey<DecorationSet>('tbThreadHighlights');

function build(state: EditorState, meta: HighlightMeta): DecorationSet {
  const size = state.doc.content.size;
  const decos = meta.ranges
    .filter((r) => !r.resolved && r.from >= 0 && r.to <= size && r.from < r.to)
    .map((r) =>
      Decoration.inline(r.from, r.to, { class: r.id === meta.active ? 'tb-thread-mark tb-thread-mark--active' : 'tb-thread-mark', 'data-thread-id': r.id }, { threadId: r.id }),
    );
  return DecorationSet.create(state.doc, decos);
}

export function threadHighlightsPlugin(): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key: threadHighlightsKey,
    state: {
      init: () => DecorationSet.empty,
      apply(tr: Transaction, set: DecorationSet, _old: EditorState, state: EditorState): DecorationSet {
        const meta = tr.getMeta(threadHighlightsKey) as HighlightMeta | undefined;
        if (meta) return build(state, meta);
        return tr.docChanged ? set.map(tr.mapping, tr.doc) : set;
      },
    },
    props: {
      decorations: (state) => threadHighlightsKey.getState(state),
    },
  });
}

/** A transaction that replaces the highlighted ranges (no document change, not added to undo history). */
export function setThreadHighlights(tr: Transaction, ranges: ThreadHighlight[], active: string | null): Transaction {
  return tr.setMeta(threadHighlightsKey, { ranges, active } satisfies HighlightMeta).setMeta('addToHistory', false);
}
