// Test helper for the comparisons of two stored versions (redline, 条文对照表): the app with only the
// versions extension (no live draft behind it), a stored version written straight to the collection with its
// ProseMirror JSON, and a superagent parser that keeps a binary answer (DOCX) as one Buffer.
import { Binary, type Db } from 'mongodb';
import type { Response } from 'superagent';
import { startAppHarness, type AppHarness } from '../http/app-harness';
import { versionsExtension } from '../../../server/extensions/versions';
import { VERSIONS_COLLECTION } from '../../../activities/versions/store';
import type { DocJSON } from '../../../editor/types';

/** The whole app with the versions extension; asking it for the live draft fails (there is none). */
export function startVersionsApp(name: string): Promise<AppHarness> {
  return startAppHarness(name, { extensions: (db) => [versionsExtension({ db, collab: { getDoc: () => Promise.reject(new Error('no live draft')), flush: async () => undefined } as never })] });
}

export interface StoredVersion {
  id: string;
  seq: number;
  kind: string;
  json: DocJSON;
}

/** Stores version `seq` of `standardId`'s draft (named 第<seq>版, made on 2026-03-0<seq>) with its JSON. */
export async function putStoredVersion(db: Db, standardId: string, v: StoredVersion): Promise<void> {
  await db.collection(VERSIONS_COLLECTION).insertOne({
    _id: v.id as never, standardId, docName: `draft-${standardId}`, seq: v.seq, kind: v.kind, name: `第${v.seq}版`,
    createdBy: { userId: 'u1', displayName: '上海起草组' }, createdAt: new Date(`2026-03-0${v.seq}T08:00:00Z`),
    state: new Binary(Buffer.from([0, 0])), stateBytes: 2, stateSha256: '', json: JSON.stringify(v.json), jsonError: null, numbering: null,
  });
}

/** superagent `.parse(binary)`: the whole body as one Buffer. */
export const binary = (res: Response, cb: (err: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
