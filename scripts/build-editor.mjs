// Builds the browser bundles (the co-editing editor and the small public-page enhancements) with esbuild.
// Runs at `npm install` (postinstall), so `npm start` on a fresh clone serves a built editor.
import { build } from 'esbuild';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'public', 'build');
mkdirSync(out, { recursive: true });

const entries = [
  { in: 'editor/browser/main.ts', out: 'editor' },
  { in: 'editor/browser/public-comment.ts', out: 'public-comment' },
].filter((e) => existsSync(path.join(root, e.in)));

if (entries.length === 0) {
  console.log('build-editor: no browser entry points yet');
} else {
  await build({
    absWorkingDir: root,
    entryPoints: entries,
    outdir: out,
    bundle: true,
    format: 'iife',
    target: ['chrome110', 'firefox110', 'safari16'],
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
  });
  console.log(`build-editor: built ${entries.map((e) => e.out + '.js').join(', ')} into public/build`);
}
