// The role × action × stage matrix. An independent statement of the rules (below, written from DESIGN.md)
// is compared with permissions.ts for every action, every role and every stage/step; then the running
// workflow is asked the same questions in representative stages through the service, and answers with
// 403 for the wrong role, 409 for the wrong stage.
import { PROVINCES, type Actor, type Province, type Stage } from '../../workflows/domain';
import { ACTIONS, type Action, type StageStep } from '../../workflows/messages';
import { checkAction, grantOfActor, type PermissionContext } from '../../workflows/permissions';
import { actors, chinaTodayNow, numberFor, regulatorOf, sampleProposal, startHarness, waitForState, type Harness } from './support';

const STANDARD = 'sMatrix';

const ACTORS: Record<string, Actor> = {
  leadEco: actors.shEco,
  otherEco: actors.jsEco,
  shReg: actors.shReg,
  jsReg: actors.jsReg,
  zjReg: actors.zjReg,
  exec: actors.exec,
  drafter: actors.drafter,
  expert: actors.expert,
  localBureau: actors.localBureau,
  admin: actors.admin,
};

const STEPS: Array<[Stage, StageStep]> = [
  ['initiation', 'awaitingDecisions'], ['initiation', 'returned'], ['drafting', 'editing'], ['publicComment', 'open'],
  ['publicComment', 'handlingComments'], ['technicalReview', 'underReview'], ['technicalReview', 'revising'],
  ['approval', 'awaitingDecisions'], ['approval', 'returned'], ['release', 'awaitingReleaseDate'], ['release', 'generatingDocuments'],
  ['publicity', 'running'], ['publicity', 'awaitingImplementation'], ['inForce', 'active'], ['review', 'deciding'],
  ['withdrawn', 'ended'], ['abolished', 'ended'],
];

type Who = keyof typeof ACTORS;
const lead: Who[] = ['leadEco'];
const regulators: Who[] = ['shReg', 'jsReg', 'zjReg'];

/** Who may do what where, stated from the design, independently of permissions.ts. */
const SPEC: Record<Action, { where: string[]; who: Who[] }> = {
  decideInitiation: { where: ['initiation/awaitingDecisions'], who: regulators },
  resubmit: { where: ['initiation/returned', 'approval/returned'], who: lead },
  submitForComment: { where: ['drafting/editing'], who: ['leadEco', 'drafter'] },
  extendCommentPeriod: { where: ['publicComment/open'], who: ['leadEco', 'exec'] },
  completeCommentHandling: { where: ['publicComment/handlingComments'], who: ['leadEco', 'drafter'] },
  recordReviewResult: { where: ['technicalReview/underReview'], who: ['expert'] },
  submitForApproval: { where: ['technicalReview/revising'], who: ['leadEco', 'drafter'] },
  decideApproval: { where: ['approval/awaitingDecisions'], who: regulators },
  setReleaseDates: { where: ['approval/awaitingDecisions'], who: ['exec'] },
  recordPublicityEvent: { where: ['publicity/running', 'publicity/awaitingImplementation', 'inForce/active'], who: ['leadEco', 'otherEco', 'exec', 'localBureau'] },
  completePublicity: { where: ['publicity/running'], who: ['exec'] },
  startReview: { where: ['inForce/active'], who: lead },
  decideReview: { where: ['review/deciding'], who: lead },
  withdraw: { where: STEPS.filter(([s]) => s !== 'withdrawn' && s !== 'abolished').map(([s, t]) => `${s}/${t}`), who: ['leadEco', 'exec'] },
};

const PROVINCE_ACTIONS = new Set<Action>(['decideInitiation', 'decideApproval']);

function expected(action: Action, who: Who, stage: Stage, step: StageStep, province?: Province): 'ok' | 'role' | 'stage' {
  const spec = SPEC[action];
  const actor = ACTORS[who];
  const roleOk = spec.who.includes(who) && (!PROVINCE_ACTIONS.has(action) || actor.province === province);
  if (!roleOk) return 'role';
  return spec.where.includes(`${stage}/${step}`) ? 'ok' : 'stage';
}

function ctx(stage: Stage, step: StageStep): PermissionContext {
  return { standardId: STANDARD, leadProvince: 'SH', stage, step, provinces: { SH: { decision: 'pending' }, JS: { decision: 'pending' }, ZJ: { decision: 'pending' } } };
}

describe('permissions.ts against the design, every action × role × stage', () => {
  const cases: Array<[Action, Who, Stage, StageStep, Province | undefined]> = [];
  for (const action of ACTIONS) {
    for (const who of Object.keys(ACTORS) as Who[]) {
      for (const [stage, step] of STEPS) {
        if (PROVINCE_ACTIONS.has(action)) for (const p of PROVINCES) cases.push([action, who, stage, step, p]);
        else cases.push([action, who, stage, step, undefined]);
      }
    }
  }

  test(`all ${cases.length} combinations are allowed or refused as the design says, with the right kind of refusal`, () => {
    const mismatches: string[] = [];
    for (const [action, who, stage, step, province] of cases) {
      const r = checkAction(action, [grantOfActor(ACTORS[who], STANDARD)], ctx(stage, step), province);
      const got = r.ok ? 'ok' : r.kind;
      const want = expected(action, who, stage, step, province);
      if (got !== want) mismatches.push(`${action} by ${who}${province ? `(${province})` : ''} in ${stage}/${step}: got ${got}, want ${want}`);
    }
    expect(mismatches).toEqual([]);
  });

  test('a drafter or expert of another standard may not act on this one', () => {
    const other = { role: 'drafter' as const, province: 'SH' as const, standardIds: ['another'] };
    expect(checkAction('submitForComment', [other], ctx('drafting', 'editing')).ok).toBe(false);
    expect(checkAction('recordReviewResult', [{ role: 'expert', standardIds: ['another'] }], ctx('technicalReview', 'underReview')).ok).toBe(false);
  });

  test('a province that has decided cannot decide again', () => {
    const c = ctx('initiation', 'awaitingDecisions');
    c.provinces.JS = { decision: 'approved' };
    expect(checkAction('decideInitiation', [grantOfActor(actors.jsReg, STANDARD)], c, 'JS')).toMatchObject({ ok: false, kind: 'stage' });
  });
});

describe('the running workflow answers the same matrix', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('matrix', { durations: { commentPeriodMs: 12_000, reminderIntervalMs: 3_600_000, filingReminderMs: 3_600_000, reviewIntervalMs: 3_600_000 } });
  });
  afterAll(async () => {
    if (h) expect(await h.replayAll()).toBeGreaterThan(0);
    await h?.close();
  });

  const today = chinaTodayNow();
  function payloadFor(action: Action, who: Who): Record<string, unknown> {
    const province = ACTORS[who].province ?? 'SH';
    switch (action) {
      case 'decideInitiation': return { province, decision: 'approve' };
      case 'decideApproval': return { province, decision: 'approve', number: numberFor(province, 390001) };
      case 'extendCommentPeriod': return { newDeadline: new Date(Date.now() + 7 * 86400e3).toISOString(), reason: '延长' };
      case 'recordReviewResult': return { outcome: 'pass' };
      case 'setReleaseDates': return { releaseDate: today, implementationDate: today };
      case 'recordPublicityEvent': return { eventId: 'ev1' };
      case 'decideReview': return { outcome: 'continue', reason: '继续' };
      case 'withdraw': return { reason: '撤销' };
      default: return {};
    }
  }

  async function assertRefusals(id: string, stage: Stage, step: StageStep): Promise<number> {
    const live = await h.service.state(id);
    expect([live.stage, live.step]).toEqual([stage, step]);
    let checked = 0;
    const wrong: string[] = [];
    for (const action of ACTIONS) {
      for (const who of Object.keys(ACTORS) as Who[]) {
        const province = PROVINCE_ACTIONS.has(action) ? (ACTORS[who].province ?? 'SH') : undefined;
        const want = expected(action, who, stage, step, province);
        if (want === 'ok') continue;
        const err = await h.service.act(id, action, payloadFor(action, who), ACTORS[who]).then(
          () => null,
          (e: { code?: string; status?: number }) => e,
        );
        const got = err === null ? 'ok' : err.code === 'FORBIDDEN' ? 'role' : err.code === 'STAGE_CONFLICT' ? 'stage' : String(err.code);
        if (got !== want) wrong.push(`${action} by ${who} in ${stage}/${step}: got ${got}, want ${want}`);
        checked += 1;
      }
    }
    expect(wrong).toEqual([]);
    expect((await h.service.state(id)).revision).toBe(live.revision);
    return checked;
  }

  test('in initiation, drafting, public comment, approval and in force, every refused pair is refused (403 or 409) and nothing changes', async () => {
    const { _id: id } = await h.service.propose(sampleProposal, actors.shEco);
    let n = await assertRefusals(id, 'initiation', 'awaitingDecisions');
    for (const p of PROVINCES) await h.service.act(id, 'decideInitiation', { province: p, decision: 'approve' }, regulatorOf[p]);
    n += await assertRefusals(id, 'drafting', 'editing');
    await h.service.act(id, 'submitForComment', {}, actors.drafter);
    n += await assertRefusals(id, 'publicComment', 'open');
    await waitForState(h, id, (s) => s.step === 'handlingComments', 30_000);
    await h.service.act(id, 'completeCommentHandling', {}, actors.drafter);
    await h.service.act(id, 'recordReviewResult', { outcome: 'pass' }, actors.expert);
    await h.service.act(id, 'submitForApproval', {}, actors.drafter);
    n += await assertRefusals(id, 'approval', 'awaitingDecisions');
    await h.service.act(id, 'setReleaseDates', { releaseDate: today, implementationDate: today }, actors.exec);
    for (const p of PROVINCES) await h.service.act(id, 'decideApproval', { province: p, decision: 'approve', number: numberFor(p, 380001) }, regulatorOf[p]);
    await waitForState(h, id, (s) => s.stage === 'inForce');
    n += await assertRefusals(id, 'inForce', 'active');
    await h.service.act(id, 'withdraw', { reason: '测试结束' }, actors.exec);
    n += await assertRefusals(id, 'withdrawn', 'ended');
    expect(n).toBeGreaterThan(700);
  }, 180_000);
});

describe('the action → Update map', () => {
  it('has one Update per action, named after it', async () => {
    const { ACTION_UPDATES } = await import('../../workflows/messages');
    expect(Object.keys(ACTION_UPDATES).sort()).toEqual([...ACTIONS].sort());
    for (const a of ACTIONS) expect(ACTION_UPDATES[a].name).toBe(a);
  });
});
