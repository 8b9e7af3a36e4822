// Browser entry point of the co-editing editor (bundled by scripts/build-editor.mjs to public/build/editor.js).
// The server-rendered page holds `<div id="editor" data-doc=… data-user-name=… …>`; the data attributes the
// editor reads and writes are listed in ./config.ts. The mounted editor is exposed as
// `window.tongbiaoEditor` (a promise of the handle) and, once mounted, `window.tongbiaoEditorHandle` (the
// handle itself, for synchronous checks) for the page's own scripts and for browser tests.
import { readConfig } from './config';
import { mountEditor, type EditorHandle } from './mount';

declare global {
  interface Window {
    tongbiaoEditor?: Promise<EditorHandle>;
    tongbiaoEditorHandle?: EditorHandle;
  }
}

const root = document.getElementById('editor');
if (root) {
  window.tongbiaoEditor = mountEditor(root, readConfig(root));
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
