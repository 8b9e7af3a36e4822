// Runs @hocuspocus/server v4 for the benchmark with its stock settings (onStoreDocument debounced 2 s,
// max 10 s) and @hocuspocus/extension-database storing the whole document state to MongoDB.
import type { AddressInfo } from 'node:net';
import { Database } from '@hocuspocus/extension-database';
import { Server } from '@hocuspocus/server';
import { Binary } from 'mongodb';
import { connectMongo } from '../../activities/infra/mongo';
import { binaryBytes } from '../../activities/data/documents';
import { startProbe } from './probe';

import { HOCUS_COLLECTION } from './harness';

async function main(): Promise<void> {
  const mongo = await connectMongo(process.env.MONGODB_URI!, process.env.COLLAB_DB ?? 'collab_bench_hocus', { onUnacknowledgedWrite: 'throw' });
  const col = mongo.db.collection<{ _id: string; data: Binary }>(HOCUS_COLLECTION);
  const server = new Server({
    port: Number(process.env.PORT ?? 0),
    address: '127.0.0.1',
    quiet: true,
    stopOnSignals: false,
    extensions: [
      new Database({
        fetch: async ({ documentName }) => {
          const row = await col.findOne({ _id: documentName });
          return row ? binaryBytes(row.data) : null;
        },
        store: async ({ documentName, state }) => {
          await col.replaceOne({ _id: documentName }, { data: new Binary(state) }, { upsert: true });
        },
      }),
      {
        async onRequest({ request, response }) {
          const loadDoc = (name: string) => server.hocuspocus.openDirectConnection(name, {});
          // Rejecting with nothing stops Hocuspocus's default answer.
          if (startProbe(request, response, { loadDoc })) return Promise.reject(null);
        },
      },
    ],
  });
  await server.listen();
  const { port } = server.httpServer.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ ready: true, port, pid: process.pid })}\n`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
