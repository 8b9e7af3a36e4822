// The 编制说明 (explanatory note) of a draft, written by the drafting group as a structured form (one per
// draft kind: 征求意见稿, 送审稿, 报批稿), validated with the generator's schema, stored in MongoDB and
// turned into a DOCX on demand — and automatically when the lifecycle freezes that draft.
import type { Request } from 'express';
import type { Db } from 'mongodb';
import { z } from 'zod';
import { EXPLANATORY_NOTE_SECTIONS, explanatoryNoteSchema, type ExplanatoryNote } from '../../activities/docx/explanatory-note';
import type { ReleaseActivities } from '../../activities/docx';
import { createExplanatoryNoteStore } from '../../activities/data/explanatory-notes';
import type { AppExtensionContext } from '../app-deps';
import { draftPermission, isDraftWriter } from '../../workflows/draft-access';
import { userOf } from '../http/principal';
import { AppError } from '../../activities/infra/errors';
import { loadStandardOr404 } from './editor-page';
import { DRAFT_STAGES, VERSION_KIND_NAMES, type DraftStage } from '../../workflows/version-kinds';
import { retryingReady } from '../infra/retrying-ready';

/** The drafts a 编制说明 is written for: the three stage drafts. */
export const NOTE_KINDS = DRAFT_STAGES;
export type NoteKind = DraftStage;
const NOTE_KIND_NAMES = VERSION_KIND_NAMES;
/** The section headings in English (the DOCX keeps the Chinese ones of EXPLANATORY_NOTE_SECTIONS). */
const SECTIONS_EN = [
  '1 Overview of the work',
  '2 Drafting principles and basis',
  '3 Main technical content and its rationale',
  '4 Verification, technical and economic analysis, expected economic, social and ecological benefits',
  '5 Adoption of international and foreign standards, and comparison with them',
  '6 Patents',
  '7 Relation to current laws, regulations, mandatory national standards and other standards',
  '8 Handling of major divergences and its basis',
  '9 Requirements and suggested measures for implementing the standard',
  '10 Other matters',
] as const;
const SECTIONS = EXPLANATORY_NOTE_SECTIONS.map((zh, i) => ({ zh, en: SECTIONS_EN[i] }));

/** Rows of 主要技术内容 offered by the form without JavaScript; empty rows are dropped. */
const TOPIC_ROWS = 12;

const kindQuery = z.object({ kind: z.enum(NOTE_KINDS).default('draftForComment') });

/** The flat HTML form → the schema's nested shape (blank optional fields left out). */
export function noteFromForm(body: Record<string, unknown>): unknown {
  const str = (k: string): string => (typeof body[k] === 'string' ? (body[k] as string) : '');
  const topics = [];
  for (let i = 0; i < TOPIC_ROWS; i++) {
    const topic = str(`topic${i}`).trim();
    const rationale = str(`rationale${i}`).trim();
    if (topic || rationale) topics.push({ topic, rationale });
  }
  const optional = (k: string) => (str(k).trim() ? str(k) : undefined);
  return {
    workOverview: { taskSource: str('taskSource'), process: str('process'), ...(optional('draftersAndRoles') ? { draftersAndRoles: str('draftersAndRoles') } : {}) },
    principlesAndBasis: str('principlesAndBasis'),
    mainTechnicalContent: topics,
    verification: str('verification'),
    ...(optional('internationalComparison') ? { internationalComparison: str('internationalComparison') } : {}),
    ...(optional('patents') ? { patents: str('patents') } : {}),
    relationToLawsAndStandards: str('relationToLawsAndStandards'),
    majorDivergences: str('majorDivergences'),
    implementationSuggestions: str('implementationSuggestions'),
    ...(optional('other') ? { other: str('other') } : {}),
  };
}

export function explanatoryNoteExtension(deps: { db: Db; release: Pick<ReleaseActivities, 'generateExplanatoryNote'> }) {
  const notes = createExplanatoryNoteStore<ExplanatoryNote>(deps.db);
  const ready = retryingReady(() => notes.ensureIndexes(), () => undefined);

  async function load(req: Request, write: boolean) {
    const user = userOf(req);
    const standard = await loadStandardOr404(deps.db, String(req.params.id));
    if (draftPermission(user.grants, standard) === 'none') throw new AppError('FORBIDDEN', { zh: '您无权查看此标准的编制说明', en: "You may not see this standard's explanatory note" });
    if (write && !isDraftWriter(user.grants, standard)) throw new AppError('FORBIDDEN', { zh: '只有起草组或牵头生态环境部门可以编写编制说明', en: 'Only the drafting group or the lead department may write the explanatory note' });
    const q = kindQuery.safeParse(req.query);
    if (!q.success) throw new AppError('VALIDATION_FAILED', { zh: '草案类别无效', en: 'Invalid draft kind' });
    await ready();
    return { user, standard, kind: q.data.kind, canWrite: isDraftWriter(user.grants, standard) };
  }

  return ({ app, requireUser }: AppExtensionContext): void => {
    app.get('/standards/:id/explanatory-note', requireUser, async (req, res) => {
      const ctx = await load(req, false);
      const stored = await notes.get(ctx.standard._id, ctx.kind);
      if (req.accepts(['html', 'json']) === 'json') {
        if (!stored) throw new AppError('NOT_FOUND', { zh: '尚未填写编制说明', en: 'No explanatory note yet' });
        res.json(stored.note);
        return;
      }
      res.render('explanatory-note.njk', { ...ctx, note: stored?.note ?? null, updatedAt: stored?.updatedAt, kinds: NOTE_KINDS, kindNames: NOTE_KIND_NAMES, sections: SECTIONS, rows: TOPIC_ROWS, errors: [] });
    });

    app.post('/standards/:id/explanatory-note', requireUser, async (req, res) => {
      const ctx = await load(req, true);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const raw = req.is('application/json') ? body.note : noteFromForm(body);
      const parsed = explanatoryNoteSchema.safeParse(raw);
      if (!parsed.success) {
        const errors = parsed.error.issues.map((i) => i.path.join('.'));
        if (req.accepts(['html', 'json']) === 'json') {
          throw new AppError('VALIDATION_FAILED', { zh: `编制说明有未填或无效的部分：${errors.join('、')}`, en: `The explanatory note has missing or invalid parts: ${errors.join(', ')}` }, { details: parsed.error.issues });
        }
        res.status(400).render('explanatory-note.njk', { ...ctx, note: raw, kinds: NOTE_KINDS, kindNames: NOTE_KIND_NAMES, sections: SECTIONS, rows: TOPIC_ROWS, errors });
        return;
      }
      await notes.save(ctx.standard._id, ctx.kind, parsed.data, ctx.user.username);
      if (req.accepts(['html', 'json']) === 'json') {
        res.json({ saved: true });
        return;
      }
      const kindName = NOTE_KIND_NAMES[ctx.kind];
      req.session.flash = { kind: 'ok', zh: `已保存编制说明（${kindName.zh}）`, en: `Explanatory note saved (${kindName.en})` };
      res.redirect(303, `/standards/${ctx.standard._id}/explanatory-note?kind=${ctx.kind}`);
    });

    app.post('/standards/:id/explanatory-note/docx', requireUser, async (req, res) => {
      const ctx = await load(req, false);
      let file: { fileId: string; sha256: string };
      try {
        file = await deps.release.generateExplanatoryNote({ standardId: ctx.standard._id, kind: ctx.kind });
      } catch (e) {
        const details = (e as { details?: unknown[] }).details?.[0] as { zh?: string; en?: string } | undefined;
        throw new AppError('CONFLICT', { zh: details?.zh ?? '编制说明无法生成', en: details?.en ?? 'The explanatory note could not be generated' }, { cause: e });
      }
      if (req.accepts(['html', 'json']) === 'json') res.status(201).json(file);
      else res.redirect(303, `/files/${file.fileId}`);
    });
  };
}
