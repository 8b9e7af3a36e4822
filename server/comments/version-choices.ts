// The named versions a disposition may point to (体现修改的版本, issue 12 item 6): the standard's own
// versions, newest first, each named as the versions page names it (name, 第 n 版, kind, China date), so the
// triage form offers a picker instead of a free-text id, and a posted id is checked to be one of them.
import type { Db } from 'mongodb';
import { createVersionStore } from '../../activities/versions/store';
import { VERSION_KIND_NAMES } from '../../workflows/version-kinds';
import { chinaToday } from '../../workflows/dates';

export interface VersionChoice {
  id: string;
  label: { zh: string; en: string };
}

export interface VersionChoices {
  list(standardId: string): Promise<VersionChoice[]>;
  belongs(standardId: string, versionId: string): Promise<boolean>;
}

export function createVersionChoices(db: Db): VersionChoices {
  const store = createVersionStore(db);
  return {
    async list(standardId) {
      const rows = await store.list(standardId);
      return rows
        .slice()
        .reverse()
        .map((v) => {
          const kind = VERSION_KIND_NAMES[v.kind] ?? { zh: v.kind, en: v.kind };
          const day = chinaToday(v.createdAt.getTime());
          return { id: v._id, label: { zh: `${v.name}（第 ${v.seq} 版 · ${kind.zh} · ${day}）`, en: `${v.name} (version ${v.seq} · ${kind.en} · ${day})` } };
        });
    },
    async belongs(standardId, versionId) {
      const v = await store.get(versionId);
      return v?.standardId === standardId;
    },
  };
}
