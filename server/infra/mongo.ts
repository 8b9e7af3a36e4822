// The MongoDB connection. Code here and in the repositories must run on both FerretDB 1.x (the embedded
// default) and a MongoDB replica set: no transactions across documents, no change streams, no `.`/`$` in keys,
// no nested arrays.
import { MongoClient, type Db } from 'mongodb';

export interface Mongo {
  client: MongoClient;
  db: Db;
  close(): Promise<void>;
}

export async function connectMongo(uri: string, dbName: string): Promise<Mongo> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000, maxPoolSize: 50 });
  await client.connect();
  const db = client.db(dbName);
  return { client, db, close: () => client.close() };
}
