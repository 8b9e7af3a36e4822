// For the seed and demo commands: use the servers `npm start` already runs (or those configured by
// TEMPORAL_ADDRESS / MONGODB_URI); start the embedded ones only when nothing answers on their ports.
import net from 'node:net';
import type { Config } from '../server/infra/config';
import { launchEmbeddedServers } from './embedded/launcher';

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.setTimeout(1000, () => {
      s.destroy();
      resolve(false);
    });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export interface ServersInUse {
  temporalAddress: string;
  mongoUri: string;
  /** Names of the servers this process started (and will stop). */
  started: string[];
  stop(): Promise<void>;
}

export async function serversInUse(config: Config, need: { temporal: boolean }): Promise<ServersInUse> {
  let temporalAddress = config.TEMPORAL_ADDRESS;
  let mongoUri = config.MONGODB_URI;
  if (!temporalAddress && (!need.temporal || (await answers(config.EMBEDDED_TEMPORAL_PORT)))) {
    temporalAddress = `127.0.0.1:${config.EMBEDDED_TEMPORAL_PORT}`;
  }
  if (!mongoUri && (await answers(config.EMBEDDED_MONGO_PORT))) mongoUri = `mongodb://127.0.0.1:${config.EMBEDDED_MONGO_PORT}/`;
  const launched = await launchEmbeddedServers({
    dataDir: config.TONGBIAO_DATA_DIR,
    toolsDir: config.TONGBIAO_TOOLS_DIR,
    temporalAddress,
    mongoUri,
    temporalPort: config.EMBEDDED_TEMPORAL_PORT,
    mongoPort: config.EMBEDDED_MONGO_PORT,
  });
  return launched;
}
