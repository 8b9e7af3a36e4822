// Named, immutable versions of a standard's draft: frozen by the lifecycle (征求意见稿, 送审稿, 报批稿,
// 发布稿) through `freezeVersion`, saved by hand, viewed, compared clause by clause, and restored as new
// edits. `createVersionActivities({ db, collab })` builds them; `freezeVersion` is the Temporal activity
// the lifecycle calls, the others serve the HTTP routes.
import { createHash, randomBytes } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { Binary, type Db } from 'mongodb';
import * as Y from 'yjs';
import type { Numbering } from '../../editor/numbering';
import type { DocJSON } from '../../editor/types';
import { AppError } from '../infra/errors';
import { createMongoDocumentStore, type DocumentStore } from '../data/documents';
import type { Actor } from '../../workflows/domain';
import type { FreezeVersionInput, FreezeVersionResult } from '../lifecycle/seams';
import { compareVersions, type Comparison } from './compare';
import { docNameForStandard } from './doc-name';
import { applyContentAsNewEdits } from './restore';
import { snapshotOf, snapshotOfState, type DocumentSnapshot } from './snapshot';
import { createVersionStore, type VersionMeta, type VersionRow } from './store';
import { VERSION_KINDS, VERSION_KIND_NAMES, type VersionKind } from '../../workflows/version-kinds';

export { compareVersions, clauseTexts, type ClauseChange, type Comparison } from './compare';
export { type VersionMeta } from './store';
export { VERSION_KINDS, VERSION_KIND_NAMES, type VersionKind } from '../../workflows/version-kinds';

export { docNameForStandard } from './doc-name';


export interface VersionDetail {
  meta: VersionMeta;
  json: DocJSON | null;
  numbering: Numbering | null;
  /** The Yjs state (Y.encodeStateAsUpdate). */
  state: Uint8Array;
}

/** What versions need of the live collaboration documents (the server's collab server satisfies it). */
export interface LiveDocuments {
  /** The live Y.Doc; edits made to it are stored and relayed like a client's. */
  getDoc(docName: string): Promise<Y.Doc>;
  /** Resolves once every update applied so far to the document is durable. */
  flush(docName: string): Promise<void>;
}

export interface VersionActivitiesDeps {
  db: Db;
  /** The collaboration server of this process; without it versions read and write the stored log directly. */
  collab?: LiveDocuments;
  /** Maps a standard to its collaboration document. Default `standard:<id>`. */
  docNameOf?: (standardId: string) => string;
  /** Storage of the collaboration documents (default: the collab server's MongoDB collections in `db`). */
  documentStore?: DocumentStore;
}

type Who = Pick<Actor, 'userId' | 'displayName'> & Partial<Pick<Actor, 'role' | 'province'>>;

export interface SaveVersionInput {
  standardId: string;
  name: string;
  actor: Who;
  kind?: VersionKind;
}

function notFound(what: string): AppError {
  return new AppError('NOT_FOUND', { zh: `版本不存在：${what}`, en: `No such version: ${what}` });
}

/** An idempotency key when running as a Temporal activity: a retried attempt finds the version it wrote. */
function activityKey(): string | null {
  try {
    const info = Context.current().info;
    const run = info.workflowExecution;
    return run ? `${run.workflowId}/${run.runId}/${info.activityId}` : null;
  } catch {
    return null;
  }
}

function toWho(actor: Who): Who {
  return { userId: actor.userId, displayName: actor.displayName, ...(actor.role ? { role: actor.role } : {}), ...(actor.province ? { province: actor.province } : {}) };
}

export function createVersionActivities(deps: VersionActivitiesDeps) {
  const versions = createVersionStore(deps.db);
  const docStore = deps.documentStore ?? createMongoDocumentStore(deps.db);
  const docNameOf = deps.docNameOf ?? docNameForStandard;
  const indexes = versions.ensureIndexes();

  /** The current document, including edits not yet written back (they are flushed first). */
  async function currentSnapshot(docName: string): Promise<DocumentSnapshot> {
    if (deps.collab) {
      const doc = await deps.collab.getDoc(docName);
      await deps.collab.flush(docName);
      return snapshotOf(doc);
    }
    const loaded = await docStore.load(docName);
    const parts = [...(loaded.snapshot ? [loaded.snapshot] : []), ...loaded.updates.map((u) => u.update)];
    return snapshotOfState(parts.length === 0 ? Y.encodeStateAsUpdate(new Y.Doc()) : Y.mergeUpdates(parts));
  }

  async function create(standardId: string, kind: VersionKind, name: string, actor: Who, id: string, extra: Partial<VersionRow> = {}): Promise<VersionMeta> {
    if (!VERSION_KINDS.includes(kind)) throw new AppError('VALIDATION_FAILED', { zh: `未知版本类型：${kind}`, en: `Unknown version kind: ${kind}` });
    await indexes;
    const docName = docNameOf(standardId);
    const snap = await currentSnapshot(docName);
    const { row } = await versions.insert({
      _id: id,
      standardId,
      docName,
      kind,
      name,
      createdBy: toWho(actor),
      createdAt: new Date(),
      state: new Binary(snap.state),
      stateBytes: snap.state.byteLength,
      stateSha256: snap.sha256,
      json: snap.json ? JSON.stringify(snap.json) : null,
      jsonError: snap.jsonError,
      numbering: snap.numbering ? JSON.stringify(snap.numbering) : null,
      ...extra,
    });
    return row;
  }

  async function detail(versionId: string): Promise<VersionDetail> {
    const row = await versions.get(versionId);
    if (!row) throw notFound(versionId);
    const { state, json, numbering, ...meta } = row;
    return {
      meta,
      json: json ? (JSON.parse(json) as DocJSON) : null,
      numbering: numbering ? (JSON.parse(numbering) as Numbering) : null,
      state: state.buffer.subarray(0, state.position),
    };
  }

  return {
    /** Lifecycle activity: freezes the current draft as a named version of `kind`. Idempotent per activity. */
    async freezeVersion(input: FreezeVersionInput): Promise<FreezeVersionResult> {
      const key = activityKey();
      const id = key ? `${input.standardId}~${createHash('sha256').update(key).digest('hex').slice(0, 20)}` : randomBytes(12).toString('hex');
      const meta = await create(input.standardId, input.kind, VERSION_KIND_NAMES[input.kind].zh, input.actor, id);
      return { versionId: meta._id };
    },

    /** A named version saved by hand (default kind 工作组讨论稿). */
    async saveNamedVersion(input: SaveVersionInput): Promise<VersionMeta> {
      const name = input.name.trim();
      if (name.length === 0 || name.length > 200) throw new AppError('VALIDATION_FAILED', { zh: '版本名称须为 1–200 个字符', en: 'A version name has 1–200 characters' });
      return create(input.standardId, input.kind ?? 'workingDraft', name, input.actor, randomBytes(12).toString('hex'));
    },

    listVersions: async ({ standardId }: { standardId: string }): Promise<VersionMeta[]> => versions.list(standardId),

    getVersion: async ({ versionId }: { versionId: string }): Promise<VersionDetail> => detail(versionId),

    /** The newest version of a standard (of one kind), or null. */
    async latestVersion({ standardId, kind }: { standardId: string; kind?: VersionKind }): Promise<VersionDetail | null> {
      const row = await versions.latest(standardId, kind);
      return row ? detail(row._id) : null;
    },

    /** Compares two versions, or a version with the live draft (`toId: 'live'`). */
    async compareVersions({ fromId, toId }: { fromId: string; toId: string }): Promise<Comparison & { from: VersionMeta; to: VersionMeta | 'live' }> {
      const from = await detail(fromId);
      let toSide: { json: DocJSON | null; numbering: Numbering | null };
      let toMeta: VersionMeta | 'live';
      if (toId === 'live') {
        const snap = await currentSnapshot(from.meta.docName);
        toSide = snap;
        toMeta = 'live';
      } else {
        const to = await detail(toId);
        if (to.meta.standardId !== from.meta.standardId) {
          throw new AppError('CONFLICT', { zh: '只能比较同一标准的版本', en: 'Only versions of the same standard can be compared' });
        }
        toSide = to;
        toMeta = to.meta;
      }
      if (!from.json || !from.numbering || !toSide.json || !toSide.numbering) {
        throw new AppError('CONFLICT', { zh: '该版本没有可比较的文档结构', en: 'This version has no document structure to compare' });
      }
      return { ...compareVersions({ json: from.json, numbering: from.numbering }, { json: toSide.json, numbering: toSide.numbering }), from: from.meta, to: toMeta };
    },

    /**
     * Restores a version's content as new edits on the live draft. The draft as it was just before is saved
     * first as a working-draft version, so a restore can itself be undone.
     */
    async restoreVersion({ standardId, versionId, actor }: { standardId: string; versionId: string; actor: Who }): Promise<{ backupVersionId: string; restoredFrom: string }> {
      const target = await detail(versionId);
      if (target.meta.standardId !== standardId) throw notFound(versionId);
      if (!target.json) throw new AppError('CONFLICT', { zh: '该版本没有可恢复的文档结构', en: 'This version has no document structure to restore' });
      const backup = await create(standardId, 'workingDraft', `恢复第 ${target.meta.seq} 版前的自动保存`, actor, randomBytes(12).toString('hex'), { restoredFrom: versionId });
      const docName = docNameOf(standardId);
      if (deps.collab) {
        const doc = await deps.collab.getDoc(docName);
        applyContentAsNewEdits(doc, target.json);
        await deps.collab.flush(docName);
      } else {
        const doc = new Y.Doc();
        Y.applyUpdate(doc, (await currentSnapshot(docName)).state);
        const before = Y.encodeStateVector(doc);
        applyContentAsNewEdits(doc, target.json);
        await docStore.append(docName, [Y.encodeStateAsUpdate(doc, before)]);
        doc.destroy();
      }
      return { backupVersionId: backup._id, restoredFrom: versionId };
    },
  };
}

export type VersionActivities = ReturnType<typeof createVersionActivities>;
