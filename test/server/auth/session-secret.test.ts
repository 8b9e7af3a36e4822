// The session secret: the configured one wins; otherwise one is generated once, kept private in the data
// directory and reused, so sessions survive a restart.
import { mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveSessionSecret } from '../../../server/auth/session-secret';

function tmpDir(): string {
  return mkdtempSync(path.join(process.env.TONGBIAO_TEST_DATA_DIR ?? os.tmpdir(), 'secret-'));
}

describe('resolveSessionSecret', () => {
  it('uses SESSION_SECRET when configured and writes nothing', async () => {
    const dir = tmpDir();
    expect(await resolveSessionSecret({ SESSION_SECRET: 'configured-secret-value', TONGBIAO_DATA_DIR: dir })).toBe('configured-secret-value');
    expect(() => statSync(path.join(dir, 'session-secret'))).toThrow();
  });

  it('generates a long random secret once, readable only by its owner, and returns it again', async () => {
    const dir = path.join(tmpDir(), 'not-yet-created');
    const first = await resolveSessionSecret({ SESSION_SECRET: undefined, TONGBIAO_DATA_DIR: dir });
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(path.join(dir, 'session-secret')).mode & 0o777).toBe(0o600);
    expect(await resolveSessionSecret({ SESSION_SECRET: undefined, TONGBIAO_DATA_DIR: dir })).toBe(first);
  });

  it('gives every concurrent caller the same secret', async () => {
    const dir = tmpDir();
    const all = await Promise.all(Array.from({ length: 5 }, () => resolveSessionSecret({ SESSION_SECRET: undefined, TONGBIAO_DATA_DIR: dir })));
    expect(new Set(all).size).toBe(1);
  });
});
