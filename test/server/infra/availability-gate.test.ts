// The 503 gate and a handler it abandoned: a page request in flight when the store goes down is answered
// 503 at once; when its handler finishes later and renders with nunjucks (whose callback runs outside any
// promise Express watches), nothing is sent twice and the process does not die of it. Run in a child
// process, since an uncaught exception is what is being ruled out.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

test('a handler that renders after its request was answered 503 is ignored, not fatal', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'late-render-process.ts')], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' }, timeout: 60_000 });
  expect(r.stdout).toContain('status 503');
  expect(r.stderr).not.toContain('ERR_HTTP_HEADERS_SENT');
  expect(r.stdout).toContain('survived');
  expect(r.status).toBe(0);
});
