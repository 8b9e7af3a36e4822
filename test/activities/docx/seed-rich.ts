// Seeds the rich sample standard with a stored version of each kind (its body as JSON, no Yjs state), as the
// release and PDF activities read them.
import { Binary, type Db } from 'mongodb';
import { richStandardBody, richStandardRecord } from '../../../activities/docx/fixtures/rich-standard';
import { insertStandard } from '../../../activities/data/standards';
import { createVersionStore, type VersionKind } from '../../../activities/versions/store';
import type { StandardRecord } from '../../../workflows/domain';

export async function seedRichStandard(db: Db, id: string, kinds: VersionKind[], overrides: Partial<StandardRecord> = {}): Promise<void> {
  await insertStandard(db, richStandardRecord({ _id: id, ...overrides }));
  const versions = createVersionStore(db);
  const json = JSON.stringify(richStandardBody());
  for (const kind of kinds) {
    await versions.insert({ _id: `${id}-${kind}`, standardId: id, docName: `standard:${id}`, kind, name: kind, createdBy: { userId: 'u1', displayName: '起草人' }, createdAt: new Date(), state: new Binary(Buffer.alloc(0)), stateBytes: 0, stateSha256: '', json, jsonError: null, numbering: null });
  }
}
