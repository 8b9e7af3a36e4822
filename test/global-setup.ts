// Jest global set-up: the real servers for the whole suite. Starts the embedded Temporal dev server and
// FerretDB on free ports (or uses TEMPORAL_ADDRESS / MONGODB_URI when set) and hands the addresses to the
// test workers through the environment. Also installs the Debian packages browser and rendering tests need.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchEmbeddedServers, type EmbeddedServers } from '../scripts/embedded/launcher';
import { ensureSystemPackages } from '../scripts/embedded/system-packages';
import { ensureTools } from '../scripts/embedded/install-tools';
import { ensureOoxmlValidator } from '../scripts/ooxml-validate';

declare global {
   
  var __TONGBIAO_SERVERS__: EmbeddedServers | undefined;
}

export default async function globalSetup(): Promise<void> {
  const toolsDir = path.resolve(__dirname, '..', '.tools');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tongbiao-test-'));
  const [servers, tools] = await Promise.all([
    launchEmbeddedServers({
      dataDir,
      toolsDir,
      temporalAddress: process.env.TEMPORAL_ADDRESS || undefined,
      mongoUri: process.env.MONGODB_URI || undefined,
    }),
    ensureTools(toolsDir),
    ensureSystemPackages(),
    // The OOXML schema validator (Maven, once; cached in .tools). A failure is reported by the test that needs it.
    ensureOoxmlValidator(toolsDir).catch(() => undefined),
  ]);
  globalThis.__TONGBIAO_SERVERS__ = servers;
  process.env.TEMPORAL_ADDRESS = servers.temporalAddress;
  process.env.MONGODB_URI = servers.mongoUri;
  process.env.TONGBIAO_TEST_DATA_DIR = dataDir;
  process.env.TONGBIAO_TOOLS_DIR = toolsDir;
  process.env.TEMPORAL_TEST_SERVER_PATH = tools.temporalTestServer;
  process.env.FERRETDB_PATH = tools.ferretdb;
  // Quiet test output: loggers not handed one by a composition root fall back to LOG_LEVEL (default info).
  process.env.LOG_LEVEL ??= 'warn';
}
