// A read-only view of one stored version (ProseMirror JSON), with computed numbers and the outline but no
// collaboration: for "view any version" pages. The host element carries
//   data-mode="view"  data-doc-json-url="/api/…/versions/…/content"  [data-lang="zh|en"]
// and the URL answers the version's document JSON. The element gets data-status="ready" once shown.
import { EditorState } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import * as z from 'zod/mini';
import { schema } from '../schema';
import { numberingPlugin, currentNumbering } from '../decorations';
import type { Numbering } from '../numbering';
import { translator } from './i18n';
import { injectStyles } from './styles';
import { h } from './dom';
import { createOutline, jumpTo } from './outline';

const viewerConfig = z.object({
  docJsonUrl: z.string().check(z.minLength(1)),
  lang: z.optional(z.enum(['zh', 'en'])),
});

export interface ViewerHandle {
  view: EditorView;
  numbering(): Numbering;
  jumpTo(id: string): boolean;
}

/** Shows `json` read-only in `root`. Throws when the JSON does not fit the schema. */
export function showDocument(root: HTMLElement, json: unknown, lang: 'zh' | 'en' = 'zh'): ViewerHandle {
  const doc = root.ownerDocument;
  injectStyles(doc);
  const t = translator(lang);
  const node = schema.nodeFromJSON(json);
  root.classList.add('tb-editor', 'tb-viewer');
  let view: EditorView | null = null;
  const getView = (): EditorView => {
    if (!view) throw new Error('viewer not ready');
    return view;
  };
  const outline = createOutline(doc, getView, t('outline'));
  const body = h(doc, 'div', { class: 'tb-body' });
  root.replaceChildren(outline.element, body);
  view = new EditorView(body, { state: EditorState.create({ doc: node, plugins: [numberingPlugin()] }), editable: () => false });
  outline.update(currentNumbering(view.state).outline);
  root.dataset.status = 'ready';
  return { view, numbering: () => currentNumbering(getView().state), jumpTo: (id) => jumpTo(getView(), id) };
}

/** Reads the viewer's data attributes, fetches the document and shows it. */
export async function mountViewer(root: HTMLElement): Promise<ViewerHandle> {
  const config = viewerConfig.parse({ docJsonUrl: root.dataset.docJsonUrl, lang: root.dataset.lang || undefined });
  const res = await fetch(config.docJsonUrl, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`document not available: HTTP ${res.status}`);
  return showDocument(root, await res.json(), config.lang ?? 'zh');
}
