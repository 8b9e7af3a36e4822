// Browser entry point of the co-editing editor (bundled by scripts/build-editor.mjs to public/build/editor.js).
// With data-mode="view" on the host element it shows a stored version read-only instead (./viewer.ts).
// The server-rendered page holds `<div id="editor" data-doc=… data-user-name=… …>`; the data attributes the
// editor reads and writes are listed in ./config.ts. The mounted editor is exposed as
// `window.tongbiaoEditor` (a promise of the handle) and, once mounted, `window.tongbiaoEditorHandle` (the
// handle itself, for synchronous checks) for the page's own scripts and for browser tests.
import { readConfig } from './config';
import { mountEditor, type EditorHandle } from './mount';
import { mountViewer, type ViewerHandle } from './viewer';

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
  // A bad configuration rejects the promise like any other start failure (readConfig throws).
  window.tongbiaoEditor = Promise.resolve().then(() => mountEditor(root, readConfig(root)));
  window.tongbiaoEditor.then(
    (handle) => {
      window.tongbiaoEditorHandle = handle;
    },
    (error: unknown) => {
      root.dataset.status = 'refused';
      console.error('tongbiao editor failed to start', error);
    },
  );
}
