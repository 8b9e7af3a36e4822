// Where the comment pages get the text from: the named versions (activities/versions). The 征求意见稿 is
// the latest `draftForComment` version, frozen when the lifecycle enters public comment; the "current"
// text, against which comments are shown with today's numbers, is the latest version of any kind.
// Versions are immutable, so each is parsed once and kept (bounded) by id.
import type { Db } from 'mongodb';
import { createVersionStore, type VersionRow } from '../../activities/versions/store';
import type { DocJSON } from '../../editor/types';
import type { DraftSnapshot } from '../../editor/anchors';
import { VERSION_KIND_NAMES } from '../../workflows/version-kinds';

export interface DraftSource {
  getCommentDraft(standardId: string): Promise<DraftSnapshot | null>;
  getCurrentDraft(standardId: string): Promise<DraftSnapshot | null>;
}

function labelOf(row: VersionRow): { zh: string; en: string } {
  const kind = (VERSION_KIND_NAMES as Record<string, { zh: string; en: string } | undefined>)[row.kind] ?? { zh: '', en: '' };
  return row.name === kind.zh || !row.name ? kind : { zh: `${kind.zh}（${row.name}）`, en: `${kind.en} (${row.name})` };
}

export function createVersionDraftSource(db: Db, maxCached = 50): DraftSource {
  const versions = createVersionStore(db);
  const cache = new Map<string, DraftSnapshot>();
  const toSnapshot = (row: VersionRow | null): DraftSnapshot | null => {
    if (!row || !row.json) return null;
    const hit = cache.get(row._id);
    if (hit) return hit;
    const snap: DraftSnapshot = {
      versionId: row._id,
      label: labelOf(row),
      json: JSON.parse(row.json) as DocJSON,
      yState: new Uint8Array(row.state.buffer),
    };
    if (cache.size >= maxCached) cache.delete(cache.keys().next().value as string);
    cache.set(row._id, snap);
    return snap;
  };
  return {
    getCommentDraft: async (standardId) => toSnapshot(await versions.latest(standardId, 'draftForComment')),
    getCurrentDraft: async (standardId) => toSnapshot(await versions.latest(standardId)),
  };
}
