// A tiny stand-in for the application's editor page, for browser tests: serves an HTML page with the
// `#editor` host element and the bundled public/build/editor.js, an image upload endpoint, and the real
// collaboration server (server/collab) on the same port. The user comes from the `user` query parameter
// (the tests' stand-in for a session cookie); permissions can be changed while pages are open.
import http from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Db } from 'mongodb';
import { createCollabServer } from '../../../server/collab/server';
import type { CollabServer, Permission, Principal } from '../../../server/collab/types';
import { sampleStandardJSON } from '../../../editor/fixtures/sample-standard';

const root = path.resolve(__dirname, '../../..');
// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

export interface EditorPageServer {
  url: string;
  collab: CollabServer;
  /** `${user}@${doc}` → permission; default edit (users named reader* read). */
  permissions: Map<string, Permission>;
  uploads: number;
  /** Connection attempts the collaboration server refused (any close code). */
  refusals: number;
  pageUrl(doc: string, user: string, opts?: { province?: string; readonly?: boolean; lang?: string; page?: boolean }): string;
  close(): Promise<void>;
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export async function startEditorPageServer(db: Db): Promise<EditorPageServer> {
  const bundle = path.join(root, 'public/build/editor.js');
  if (!existsSync(bundle)) throw new Error('public/build/editor.js is missing: run node scripts/build-editor.mjs');
  const permissions = new Map<string, Permission>();
  const principal = (url: string | undefined): Principal | null => {
    const q = new URL(url ?? '/', 'http://x').searchParams;
    const user = q.get('user');
    return user ? { userId: user, displayName: user, province: q.get('province') ?? undefined } : null;
  };
  const state = { uploads: 0, refusals: 0 };
  const collab = createCollabServer({
    db,
    extensions: [{ name: 'count-refusals', onRefuse: () => void state.refusals++ }],
    limits: { idleUnloadMs: 2000 },
    authenticate: (req) => principal(req.url),
    authorize: (p, docName) => permissions.get(`${p.userId}@${docName}`) ?? (p.userId.startsWith('reader') ? 'read' : 'edit'),
  });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'GET' && url.pathname === '/build/editor.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(bundle));
      return;
    }
    if (req.method === 'GET' && url.pathname.startsWith('/edit/')) {
      const doc = decodeURIComponent(url.pathname.slice('/edit/'.length));
      const user = url.searchParams.get('user') ?? '';
      const province = url.searchParams.get('province') ?? '';
      const attrs: Record<string, string> = {
        'data-doc': doc,
        'data-user-name': user,
        'data-collab-url': `ws://${req.headers.host}/collab`,
        'data-collab-params': new URLSearchParams({ user, province }).toString(),
        'data-upload-url': '/upload',
        'data-csrf-token': 'test-token',
        'data-readonly': url.searchParams.get('readonly') ?? 'false',
        'data-lang': url.searchParams.get('lang') ?? 'zh',
      };
      if (province) attrs['data-user-province'] = province;
      const attrText = Object.entries(attrs).map(([k, v]) => `${k}="${escapeAttr(v)}"`).join(' ');
      // `page=1`: laid out as on the site's draft page (templates/editor.njk): a header, a title and the
      // editor in the flow of a page that scrolls as a whole; otherwise the editor fills the window.
      const html =
        url.searchParams.get('page') === '1'
          ? `<body style="margin:0"><header style="height:64px;background:#234">站点</header><main style="max-width:72rem;margin:0 auto;padding:1rem">` +
            `<h1>草案</h1><p>说明</p><div id="editor" ${attrText}></div></main><script src="/build/editor.js"></script></body></html>`
          : `<body style="margin:0;height:100vh"><div id="editor" ${attrText}></div><script src="/build/editor.js"></script></body></html>`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
        `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>editor</title></head>` + html,
      );
      return;
    }
    if (req.method === 'GET' && url.pathname === '/view') {
      // The read-only viewer of a stored version; the JSON comes from /version.json.
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
        `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>version</title></head>` +
          `<body style="margin:0;height:100vh"><div id="editor" data-mode="view" data-doc-json-url="/version.json"></div><script src="/build/editor.js"></script></body></html>`,
      );
      return;
    }
    if (req.method === 'GET' && url.pathname === '/version.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(sampleStandardJSON()));
      return;
    }
    if (req.method === 'POST' && url.pathname === '/upload') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('latin1');
        const ok = req.headers['x-csrf-token'] === 'test-token' && /name="file"/.test(body);
        if (!ok) {
          res.writeHead(400).end();
          return;
        }
        state.uploads++;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url: `/uploads/${state.uploads}.png` }));
      });
      return;
    }
    if (req.method === 'GET' && url.pathname.startsWith('/uploads/')) {
      res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
      return;
    }
    res.writeHead(404).end();
  });
  server.on('upgrade', (req, socket, head) => {
    if (!collab.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    collab,
    permissions,
    get uploads() {
      return state.uploads;
    },
    get refusals() {
      return state.refusals;
    },
    pageUrl: (doc, user, opts = {}) => {
      const q = new URLSearchParams({ user });
      if (opts.province) q.set('province', opts.province);
      if (opts.readonly) q.set('readonly', 'true');
      if (opts.lang) q.set('lang', opts.lang);
      if (opts.page) q.set('page', '1');
      return `${url}/edit/${encodeURIComponent(doc)}?${q.toString()}`;
    },
    async close() {
      await collab.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
