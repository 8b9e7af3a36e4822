import { mkdtempSync, existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import { launchEmbeddedServers } from '../../../scripts/embedded/launcher';
import { requireEnv } from '../../support/mongo';

const toolsDir = path.resolve(__dirname, '..', '..', '..', '.tools');

function portOpen(address: string): Promise<boolean> {
  const [host, port] = address.replace('mongodb://', '').replace(/\/$/, '').split(':');
  return new Promise((resolve) => {
    const s = net.connect({ host, port: Number(port) });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

describe('launchEmbeddedServers', () => {
  it('starts nothing when both addresses are configured', async () => {
    const servers = await launchEmbeddedServers({
      dataDir: mkdtempSync(path.join(os.tmpdir(), 'tb-launch-')),
      toolsDir,
      temporalAddress: requireEnv('TEMPORAL_ADDRESS'),
      mongoUri: requireEnv('MONGODB_URI'),
    });
    expect(servers.started).toEqual([]);
    expect(servers.temporalAddress).toBe(process.env.TEMPORAL_ADDRESS);
    await servers.stop();
  });

  it('starts Temporal and FerretDB that answer, keeps data in the data dir, and stops them', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tb-launch-'));
    const servers = await launchEmbeddedServers({ dataDir, toolsDir });
    try {
      expect(servers.started.sort()).toEqual(['ferretdb', 'temporal']);
      const connection = await Connection.connect({ address: servers.temporalAddress });
      const ns = await connection.workflowService.describeNamespace({ namespace: 'default' });
      expect(ns.namespaceInfo?.name).toBe('default');
      await connection.close();

      const client = await MongoClient.connect(servers.mongoUri);
      await client.db('launcher_probe').collection('x').insertOne({ ok: 1 });
      expect(await client.db('launcher_probe').collection('x').countDocuments()).toBe(1);
      await client.close();
      expect(existsSync(path.join(dataDir, 'temporal.sqlite'))).toBe(true);
      expect(existsSync(path.join(dataDir, 'ferretdb'))).toBe(true);
    } finally {
      await servers.stop();
    }
    expect(await portOpen(servers.temporalAddress)).toBe(false);
    expect(await portOpen(servers.mongoUri)).toBe(false);
  }, 120_000);
});
