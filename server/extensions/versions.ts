// Named versions of a standard's draft: list, save by hand, view (the editor bundle's read-only viewer),
// compare two versions (or a version with the live draft) clause by clause, and restore an old version as
// new edits. Versions created by lifecycle transitions (征求意见稿, 送审稿, 报批稿, 发布稿) appear here too.
import type { Db } from 'mongodb';
import { z } from 'zod';
import { createVersionActivities, VERSION_KIND_NAMES } from '../../activities/versions';
import type { AppExtensionContext } from '../app-deps';
import { draftPermission } from '../../workflows/draft-access';
import type { CollabServer } from '../collab/types';
import { userOf } from '../http/principal';
import { safeText } from '../../workflows/safe-text';
import { AppError, type Bilingual } from '../../activities/infra/errors';
import { loadStandardOr404 } from './editor-page';
import type { Request, Response } from 'express';
import type { Principal } from '../../activities/data/users';
import { generateRedlineDocx } from '../../activities/redline/redline';
import { generateClauseTableDocx } from '../../activities/redline/clause-table';
import { versionThreads } from './version-threads';

const VERSION_ID = /^[A-Za-z0-9_~-]{1,120}$/;
const saveBody = z.strictObject({ name: safeText(200).min(1), _csrf: z.string().optional() });
const compareQuery = z.object({ from: z.string().regex(VERSION_ID), to: z.union([z.literal('live'), z.string().regex(VERSION_ID)]) });

function badInput(error: z.ZodError): AppError {
  const fields = error.issues.map((i) => i.path.join('.') || '(body)').join(', ');
  return new AppError('VALIDATION_FAILED', { zh: `输入无效：${fields}`, en: `Invalid input: ${fields}` }, { details: error.issues });
}

function versionIdOf(req: Request): string {
  const id = String(req.params.versionId);
  if (!VERSION_ID.test(id)) throw new AppError('NOT_FOUND', { zh: `版本不存在：${id}`, en: `No such version: ${id}` });
  return id;
}

/** Sends a DOCX as a download: an ASCII file name, and the full (Chinese) name in UTF-8 for browsers that read it. */
function sendDocx(res: Response, data: Buffer, asciiName: string, name: string): void {
  res
    .type('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
    .set('Content-Disposition', `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(name)}`)
    .send(data);
}

function actorOf(user: Principal) {
  const g = user.grants[0];
  return { userId: user.userId, displayName: user.displayName, ...(g ? { role: g.role } : {}), ...(g?.province ? { province: g.province } : {}) };
}

export function versionsExtension(deps: { db: Db; collab: Pick<CollabServer, 'getDoc' | 'flush'> }) {
  const versions = createVersionActivities({ db: deps.db, collab: deps.collab });

  /** Loads the standard and checks the user may read (or, with `write`, edit) its draft. */
  async function access(req: Request, write: boolean) {
    const user = userOf(req);
    const standard = await loadStandardOr404(deps.db, String(req.params.id));
    const permission = draftPermission(user.grants, standard);
    if (permission === 'none' || (write && permission !== 'edit')) {
      throw new AppError(permission === 'none' ? 'FORBIDDEN' : 'STAGE_CONFLICT', {
        zh: permission === 'none' ? '您无权查看此草案的版本' : '当前阶段草案为只读，不能保存或恢复版本',
        en: permission === 'none' ? "You may not see this draft's versions" : 'The draft is read-only in this stage: versions cannot be saved or restored',
      });
    }
    return { user, standard, permission };
  }

  async function versionOfStandard(standardId: string, versionId: string) {
    const v = await versions.getVersion({ versionId });
    if (v.meta.standardId !== standardId) throw new AppError('NOT_FOUND', { zh: `版本不存在：${versionId}`, en: `No such version: ${versionId}` });
    return v;
  }

  /** The two saved versions (`from`, `to`, either order) a comparison document is made of, older first, both
   *  with content. The live draft is refused with `liveRefused` (it names the document), one version twice too. */
  async function savedPair(req: Request, standardId: string, liveRefused: Bilingual) {
    const q = compareQuery.safeParse(req.query);
    if (!q.success) throw badInput(q.error);
    if (q.data.to === 'live') throw new AppError('VALIDATION_FAILED', liveRefused);
    if (q.data.from === q.data.to) throw new AppError('VALIDATION_FAILED', { zh: '请选择两个不同的版本', en: 'Pick two different versions' });
    const [a, b] = await Promise.all([versionOfStandard(standardId, q.data.from), versionOfStandard(standardId, q.data.to)]);
    const [older, newer] = a.meta.seq <= b.meta.seq ? [a, b] : [b, a];
    if (!older.json || !newer.json) throw new AppError('NOT_FOUND', { zh: '版本没有正文', en: 'A version has no content' });
    return { older: { meta: older.meta, json: older.json }, newer: { meta: newer.meta, json: newer.json } };
  }

  return ({ app, requireUser }: AppExtensionContext): void => {
    app.get('/standards/:id/versions', requireUser, async (req, res) => {
      const { standard, permission } = await access(req, false);
      // Newest first, as the page's caption says.
      const list = [...(await versions.listVersions({ standardId: standard._id }))].sort((a, b) => b.seq - a.seq);
      res.render('versions.njk', { standard, versions: list, canEdit: permission === 'edit', kindNames: VERSION_KIND_NAMES });
    });

    app.post('/standards/:id/versions', requireUser, async (req, res) => {
      const { user, standard } = await access(req, true);
      const body = saveBody.safeParse(req.body);
      if (!body.success) throw badInput(body.error);
      const meta = await versions.saveNamedVersion({ standardId: standard._id, name: body.data.name, actor: actorOf(user) });
      if (req.accepts(['html', 'json']) === 'json') res.status(201).json(meta);
      else res.redirect(303, `/standards/${standard._id}/versions`);
    });

    app.get('/standards/:id/versions/compare', requireUser, async (req, res) => {
      const { standard } = await access(req, false);
      const q = compareQuery.safeParse(req.query);
      if (!q.success) throw badInput(q.error);
      await versionOfStandard(standard._id, q.data.from);
      const comparison = await versions.compareVersions({ fromId: q.data.from, toId: q.data.to });
      if (req.accepts(['html', 'json']) === 'json') {
        res.json(comparison);
        return;
      }
      res.render('version-compare.njk', { standard, comparison, kindNames: VERSION_KIND_NAMES });
    });

    // The redline copy (修改对照稿) between two named versions: the newer with tracked changes against the
    // older, on the stage-draft layout (activities/redline).
    app.get('/standards/:id/versions/redline', requireUser, async (req, res) => {
      const { standard } = await access(req, false);
      const { older, newer } = await savedPair(req, standard._id, { zh: '修改对照稿需要两个已保存的版本，请先保存当前草案', en: 'A redline needs two saved versions: save the live draft first' });
      const data = await generateRedlineDocx({
        older: older.json,
        newer: newer.json,
        author: newer.meta.createdBy.displayName,
        date: new Date(newer.meta.createdAt).toISOString().replace(/\.\d+Z$/, 'Z'),
        record: standard,
        edition: 'joint',
        completedOn: new Date(newer.meta.createdAt).toISOString().slice(0, 10),
      });
      sendDocx(res, data, `redline-${older.meta.seq}-${newer.meta.seq}.docx`, `${standard.titleZh}-修改对照稿（第${older.meta.seq}版→第${newer.meta.seq}版）.docx`);
    });

    // The same comparison as a two-column 条文对照表 (older clause | newer clause), one row per changed unit.
    app.get('/standards/:id/versions/clause-table', requireUser, async (req, res) => {
      const { standard } = await access(req, false);
      const { older, newer } = await savedPair(req, standard._id, { zh: '条文对照表需要两个已保存的版本，请先保存当前草案', en: 'A clause table needs two saved versions: save the live draft first' });
      // Stage drafts by their names (征求意见稿 | 送审稿); two versions of one kind by number as well.
      const nameOf = (m: typeof older.meta): string => (older.meta.kind === newer.meta.kind ? `第${m.seq}版${VERSION_KIND_NAMES[m.kind].zh}` : VERSION_KIND_NAMES[m.kind].zh);
      const data = await generateClauseTableDocx({ titleZh: standard.titleZh, older: older.json, newer: newer.json, olderName: nameOf(older.meta), newerName: nameOf(newer.meta) });
      sendDocx(res, data, `clause-table-${older.meta.seq}-${newer.meta.seq}.docx`, `${standard.titleZh}-条文对照表（第${older.meta.seq}版→第${newer.meta.seq}版）.docx`);
    });

    app.get('/standards/:id/versions/:versionId', requireUser, async (req, res) => {
      const { user, standard } = await access(req, false);
      const v = await versionOfStandard(standard._id, versionIdOf(req));
      // The draft's threads, read-only, with their quotes (anchors resolve against the live draft only).
      const threads = await versionThreads(deps.db, standard._id, user.userId, new Date(v.meta.createdAt), req.query);
      res.render('version-view.njk', { standard, version: v.meta, kindNames: VERSION_KIND_NAMES, threads });
    });

    app.get('/api/standards/:id/versions/:versionId/content', requireUser, async (req, res) => {
      const { standard } = await access(req, false);
      const v = await versionOfStandard(standard._id, versionIdOf(req));
      if (!v.json) throw new AppError('CONFLICT', { zh: '该版本没有可显示的文档结构', en: 'This version has no document structure to show' });
      res.json(v.json);
    });

    app.post('/standards/:id/versions/:versionId/restore', requireUser, async (req, res) => {
      const { user, standard } = await access(req, true);
      const versionId = versionIdOf(req);
      await versionOfStandard(standard._id, versionId);
      const result = await versions.restoreVersion({ standardId: standard._id, versionId, actor: actorOf(user) });
      if (req.accepts(['html', 'json']) === 'json') res.json(result);
      else res.redirect(303, `/standards/${standard._id}/draft`);
    });
  };
}
