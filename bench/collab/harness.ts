// Starting, probing and killing the benchmarked server processes, and reading each one's storage
// directly (to check what survived a kill -9 without trusting the server's own load path).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Binary, type Db } from 'mongodb';
import * as Y from 'yjs';
import { binaryBytes, createMongoDocumentStore } from '../../activities/data/documents';
import type { ServerKind } from './client';

const SCRIPTS: Record<ServerKind, string> = {
  ours: 'serve-ours.ts',
  ywebsocket: 'serve-ywebsocket.ts',
  hocuspocus: 'serve-hocuspocus.ts',
};
export const YWS_COLLECTION = 'ywsUpdates';
export const HOCUS_COLLECTION = 'hocuspocusDocuments';

export interface ServerProcess {
  kind: ServerKind;
  port: number;
  child: ChildProcess;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/** `env` adds to or overrides the benchmark's environment (e.g. REDIS_URL: '' for a process that relays nothing). */
export async function startServer(kind: ServerKind, port: number, mongoUri: string, dbName: string, limits: Record<string, number> = {}, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_CPU_PROF] : []), '--expose-gc', '--import', 'tsx', path.join(__dirname, SCRIPTS[kind])], {
    env: { ...process.env, PORT: String(port), MONGODB_URI: mongoUri, COLLAB_DB: dbName, LOG_LEVEL: 'error', COLLAB_LIMITS: JSON.stringify(limits), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('"ready":true')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    kind,
    port,
    child,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

async function probe<T>(port: number, pathAndQuery: string): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${port}/__probe/${pathAndQuery}`);
  if (!res.ok) throw new Error(`probe ${pathAndQuery}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** CPU time of the server process so far, in microseconds. */
export async function serverCpuMicros(port: number): Promise<number> {
  const r = await probe<{ userMicros: number; systemMicros: number }>(port, 'cpu');
  return r.userMicros + r.systemMicros;
}

/** Heap used after a forced GC. */
export async function serverHeap(port: number): Promise<number> {
  return (await probe<{ heapUsed: number }>(port, 'heap')).heapUsed;
}

export async function serverLoad(port: number, docs: string[]): Promise<number> {
  return (await probe<{ ms: number }>(port, `load?docs=${encodeURIComponent(docs.join(','))}`)).ms;
}

/** Writes a document straight into a server's storage, in that server's own format. */
export async function seedDocument(kind: ServerKind, db: Db, docName: string, state: Uint8Array): Promise<void> {
  switch (kind) {
    case 'ours':
      await createMongoDocumentStore(db).compact(docName, state, 0, []);
      return;
    case 'ywebsocket':
      await db.collection(YWS_COLLECTION).insertOne({ doc: docName, update: new Binary(state) });
      return;
    case 'hocuspocus':
      await db.collection<{ _id: string; data: Binary }>(HOCUS_COLLECTION).replaceOne({ _id: docName }, { data: new Binary(state) }, { upsert: true });
      return;
  }
}

/** The document as the server's storage holds it now. */
export async function readStoredDocument(kind: ServerKind, db: Db, docName: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  switch (kind) {
    case 'ours': {
      const loaded = await createMongoDocumentStore(db).load(docName);
      if (loaded.snapshot) Y.applyUpdate(doc, loaded.snapshot);
      for (const u of loaded.updates) Y.applyUpdate(doc, u.update);
      break;
    }
    case 'ywebsocket': {
      const rows = await db.collection<{ doc: string; update: Binary }>(YWS_COLLECTION).find({ doc: docName }).toArray();
      for (const r of rows) Y.applyUpdate(doc, binaryBytes(r.update));
      break;
    }
    case 'hocuspocus': {
      const row = await db.collection<{ _id: string; data: Binary }>(HOCUS_COLLECTION).findOne({ _id: docName });
      if (row) Y.applyUpdate(doc, binaryBytes(row.data));
      break;
    }
  }
  return doc;
}
