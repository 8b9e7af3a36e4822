// Browser entry point of the co-editing editor (bundled by scripts/build-editor.mjs to public/build/editor.js).
// With data-mode="view" on the host element it shows a stored version read-only instead (./viewer.ts).
// The server-rendered page holds `<div id="editor" data-doc=… data-user-name=… …>`; the data attributes the
// editor reads and writes are listed in ./config.ts. The mounted editor is exposed as
// `window.tongbiaoEditor` (a promise of the handle) and, once mounted, `window.tongbiaoEditorHandle` (the
// handle itself, for synchronous checks) for the page's own scripts and for browser tests.
import { readConfig } from './config';
import { mountEditor, type EditorHandle } from './mount';
import { mountViewer, type ViewerHandle } from './viewer';
import { restoreRefusedEdit, showRefusedEdit } from './refused-edit';
import { keptParagraphs } from '../suggestions-kept';
import type { Node as PMNode } from 'prosemirror-model';

declare global {
  interface Window {
    tongbiaoEditor?: Promise<EditorHandle>;
    tongbiaoEditorHandle?: EditorHandle;
    tongbiaoViewer?: Promise<ViewerHandle>;
  }
}

const root = document.getElementById('editor');
if (root?.dataset.mode === 'view') {
  // A stored version, read-only, without collaboration (see ./viewer.ts).
  window.tongbiaoViewer = mountViewer(root);
  window.tongbiaoViewer.catch((error: unknown) => {
    root.dataset.status = 'refused';
    console.error('tongbiao viewer failed to start', error);
  });
} else if (root) {
  const start = (): Promise<EditorHandle> => {
    // A bad configuration rejects the promise like any other start failure (readConfig throws).
    const mounted = Promise.resolve().then(() => mountEditor(root, readConfig(root), { onRefusedEdit: (local, by) => void setTimeout(() => reload(local, by), 0) }));
    window.tongbiaoEditor = mounted;
    mounted.then(
      (handle) => {
        window.tongbiaoEditorHandle = handle;
      },
      (error: unknown) => {
        root.dataset.status = 'refused';
        console.error('tongbiao editor failed to start', error);
      },
    );
    return mounted;
  };
  // The server refused a suggest-only author's change (./refused-edit.ts): the room is reloaded into a fresh
  // editor (a new Yjs document, without what was refused), and the author's paragraphs it lacks are shown to
  // copy (all of their paragraphs when the reload fails).
  const host = root;
  // (Run after the old socket's close event, whose provider it destroys.)
  function reload(local: PMNode, by: string): void {
    window.tongbiaoEditorHandle?.destroy();
    window.tongbiaoEditorHandle = undefined;
    delete host.dataset.synced;
    delete host.dataset.access;
    const lang = readConfig(host).lang;
    start().then(
      (handle) => void showRefusedEdit(host, keptParagraphs(local, handle.view.state.doc, by), lang),
      () => void showRefusedEdit(host, keptParagraphs(local, local.type.schema.topNodeType.create(), by), lang),
    );
  }
  void start();
  // Words a refusal kept before this page was reloaded (this tab's storage) are shown again.
  try {
    restoreRefusedEdit(host, readConfig(host).lang);
  } catch {
    // A bad configuration: the editor's start reports it.
  }
}
