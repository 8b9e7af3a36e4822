// The expert pool (专家库) pages and API: GET /experts lists the pool page by page (filter by province or
// field), POST /experts adds an expert, POST /experts/:id changes one. Managed by the executive committee
// or an eco-environment department (canManageExpertPool); anyone else hears 403. An expert is linked to the
// account they sign in with by its username, which must hold the `expert` role. Forms are plain HTML with
// the CSRF token; JSON callers get JSON and bilingual 4xx answers.
import type { Request, Response } from 'express';
import type { Db } from 'mongodb';
import { z } from 'zod';
import { createExpertStore, expertInputSchema, type ExpertInput } from '../../activities/data/experts';
import { decodeCursor } from '../../activities/data/paging';
import { findUserByUsername } from '../../activities/data/users';
import { AppError } from '../../activities/infra/errors';
import { PROVINCES, PROVINCE_INFO } from '../../workflows/domain';
import { canManageExpertPool } from '../../workflows/permissions';
import type { AppExtensionContext } from '../app-deps';
import { userOf } from '../http/principal';
import { retryingReady } from '../infra/retrying-ready';

const listQuery = z.object({
  province: z.enum(PROVINCES).optional().or(z.literal('').transform(() => undefined)),
  field: z.string().trim().max(50).optional(),
  after: z.string().max(300).optional(),
});

/** The form's fields (fields separated by 、 , ; or new lines; the account by username). */
const formSchema = z.object({
  name: z.string(),
  organisation: z.string(),
  fields: z.union([z.string(), z.array(z.string())]),
  province: z.string(),
  title: z.string(),
  contact: z.string(),
  username: z.string().trim().max(40).optional(),
});

const FIELD_LABELS: Record<string, { zh: string; en: string }> = {
  name: { zh: '姓名', en: 'name' },
  organisation: { zh: '工作单位', en: 'organisation' },
  fields: { zh: '专业领域', en: 'fields' },
  province: { zh: '所在省（市）', en: 'province' },
  title: { zh: '职称/职务', en: 'title' },
  contact: { zh: '联系方式', en: 'contact' },
  userId: { zh: '登录账号', en: 'account' },
};

function invalid(issues: z.ZodIssue[]): AppError {
  const names = [...new Set(issues.map((i) => String(i.path[0] ?? '')))].map((k) => FIELD_LABELS[k] ?? { zh: k, en: k });
  return new AppError(
    'VALIDATION_FAILED',
    { zh: `以下内容未填写或无效：${names.map((n) => n.zh).join('、')}`, en: `Missing or invalid: ${names.map((n) => n.en).join(', ')}` },
    { details: issues.map((i) => ({ field: i.path.join('.'), message: i.message })) },
  );
}

export function expertsExtension(deps: { db: Db }) {
  const experts = createExpertStore(deps.db);
  const ready = retryingReady(() => experts.ensureIndexes(), () => undefined);

  function requireManager(req: Request): void {
    if (!canManageExpertPool(userOf(req).grants)) {
      throw new AppError('FORBIDDEN', { zh: '只有示范区执委会或生态环境部门可以管理专家库', en: 'Only the executive committee or an eco-environment department manages the expert pool' });
    }
  }

  /** The validated input of a form or JSON body, with the account resolved from its username. */
  async function inputOf(req: Request): Promise<ExpertInput> {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const form = formSchema.safeParse(body);
    if (!form.success) throw invalid(form.error.issues);
    const f = form.data;
    const fields = (Array.isArray(f.fields) ? f.fields : f.fields.split(/[、,，;；\n]+/)).map((s) => s.trim()).filter(Boolean);
    let userId: string | undefined;
    if (f.username) {
      const user = await findUserByUsername(deps.db, f.username);
      if (!user) throw new AppError('VALIDATION_FAILED', { zh: `没有用户名为 ${f.username} 的账号`, en: `No account named ${f.username}` });
      if (!user.grants.some((g) => g.role === 'expert')) throw new AppError('VALIDATION_FAILED', { zh: `账号 ${f.username} 不具有专家角色`, en: `Account ${f.username} does not hold the expert role` });
      userId = user._id;
    }
    const parsed = expertInputSchema.safeParse({ name: f.name, organisation: f.organisation, fields, province: f.province, title: f.title, contact: f.contact, ...(userId ? { userId } : {}) });
    if (!parsed.success) throw invalid(parsed.error.issues);
    return parsed.data;
  }

  const wantsJson = (req: Request): boolean => req.accepts(['html', 'json']) === 'json';
  const back = (req: Request, res: Response, zh: string, en: string): void => {
    req.session.flash = { kind: 'ok', zh, en };
    res.redirect(303, `/experts${req.lang === 'en' ? '?lang=en' : ''}`);
  };

  return ({ app, requireUser }: AppExtensionContext): void => {
    app.get('/experts', requireUser, async (req, res) => {
      requireManager(req);
      await ready().catch(() => undefined);
      const q = listQuery.safeParse(req.query);
      if (!q.success) throw invalid(q.error.issues);
      const after = q.data.after ? decodeCursor(q.data.after) : undefined;
      const page = await experts.list({ ...(q.data.province ? { province: q.data.province } : {}), ...(q.data.field ? { field: q.data.field } : {}), ...(after ? { after } : {}) });
      if (wantsJson(req)) {
        res.json({ items: page.items.map(({ organisationKey: _k, ...e }) => (void _k, e)), ...(page.next ? { next: page.next } : {}) });
        return;
      }
      const next = page.next ? `?${new URLSearchParams({ ...(q.data.province ? { province: q.data.province } : {}), ...(q.data.field ? { field: q.data.field } : {}), after: page.next }).toString()}` : undefined;
      res.render('experts.njk', { items: page.items, next, filter: q.data, provinces: PROVINCES, provinceInfo: PROVINCE_INFO });
    });

    app.post('/experts', requireUser, async (req, res) => {
      requireManager(req);
      await ready().catch(() => undefined);
      const created = await experts.create(await inputOf(req), userOf(req).userId);
      if (wantsJson(req)) {
        res.status(201).json({ id: created._id });
        return;
      }
      back(req, res, `已加入专家库：${created.name}`, `Added to the expert pool: ${created.name}`);
    });

    app.post('/experts/:id', requireUser, async (req, res) => {
      requireManager(req);
      await ready().catch(() => undefined);
      const id = String(req.params.id);
      if (!/^[A-Za-z0-9-]{1,100}$/.test(id)) throw new AppError('NOT_FOUND', { zh: '专家不存在', en: 'No such expert' });
      const updated = await experts.update(id, await inputOf(req));
      if (wantsJson(req)) {
        res.json({ id: updated._id });
        return;
      }
      back(req, res, `已更新：${updated.name}`, `Updated: ${updated.name}`);
    });
  };
}
