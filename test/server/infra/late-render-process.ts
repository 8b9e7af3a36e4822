// A child process for availability-gate.test.ts: a page request in flight when the store goes down is answered
// 503 by the gate; its handler then renders with nunjucks (a callback outside any promise Express watches).
// Prints 'survived' when the process lived through it; before the fix it died of ERR_HTTP_HEADERS_SENT.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import nunjucks from 'nunjucks';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { availabilityGate, createAvailabilityMonitor } from '../../../server/infra/availability';
import { createLogger } from '../../../activities/infra/logger';
let storeUp = true;
const monitor = createAvailabilityMonitor({ checks: [{ name: 'store', run: async () => (storeUp ? undefined : Promise.reject(new Error('gone'))) }], logger: createLogger('x'), intervalMs: 50 });
const app = express();
const dir = mkdtempSync(path.join(os.tmpdir(), 'v-')); writeFileSync(path.join(dir, 'x.njk'), 'late {{ a }}');
nunjucks.configure(dir, { express: app, autoescape: true });
let release!: () => void;
app.use(availabilityGate(monitor));
app.get('/page', async (_req, res) => { await new Promise<void>((r) => (release = r)); res.render('x.njk', { a: 1 }); });
const server = http.createServer(app);
server.listen(0, '127.0.0.1', async () => {
  const { port } = server.address() as AddressInfo;
  const a = fetch(`http://127.0.0.1:${port}/page`, { headers: { accept: 'text/html' } });
  await new Promise((r) => setTimeout(r, 100)); storeUp = false;
  console.log('status', (await a).status); release();
  await new Promise((r) => setTimeout(r, 300)); console.log('survived'); process.exit(0);
});
