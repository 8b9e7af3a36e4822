// One text rule on every free-text field of the lifecycle API: the proposal, every action that carries
// text and the publicity events refuse NUL, BEL, NEL (C1), RLO, RLI and a lone surrogate (sent as the
// JSON escape "\ud800", which JSON.parse turns into a lone surrogate and MongoDB or Temporal would store as
// U+FFFD) with a 400 naming the field in Chinese and English, and store nothing; tab, newline and CJK
// text are stored exactly as sent (CRLF as LF).
import { z } from 'zod';
import { proposeSchema, publicityEventBodySchema } from '../../../server/http/schemas';
import { actionSchemas } from '../../../workflows/payloads';
import { ACTIONS } from '../../../workflows/messages';
import { sampleProposalBody, startAppHarness, type AppHarness, type SignedIn } from './app-harness';

let h: AppHarness;
let eco: SignedIn;
let standardId: string;

const COLLECTIONS = ['standards', 'audit_log', 'publicity_events', 'standard_drafters', 'notifications'];

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const c of COLLECTIONS) out[c] = await h.db.collection(c).countDocuments();
  return out;
}

const BAD: Array<[string, string]> = [
  ['U+0000', '\u0000'],
  ['U+0007', '\u0007'],
  ['U+0085', '\u0085'],
  ['U+202E', '\u202e'],
  ['U+2067', '\u2067'],
  ['a lone surrogate', '\ud800'],
];

/** Free-text fields of a schema (strings and string lists without enum, format or pattern), from its JSON Schema. */
function textFields(schema: z.ZodType): Array<{ name: string; array: boolean }> {
  type Prop = { type?: string; enum?: unknown; format?: string; pattern?: string; items?: Prop };
  const js = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, Prop> };
  // Ids, dates and standard numbers have a pattern or format of their own: not free text.
  const free = (p: Prop | undefined): boolean => p?.type === 'string' && p.enum === undefined && p.format === undefined && p.pattern === undefined;
  return Object.entries(js.properties ?? {}).flatMap(([name, p]): Array<{ name: string; array: boolean }> => (free(p) ? [{ name, array: false }] : p.type === 'array' && free(p.items) ? [{ name, array: true }] : []));
}

interface Endpoint {
  name: string;
  url: () => string;
  schema: z.ZodType;
  valid: Record<string, unknown>;
}

const validAction: Partial<Record<(typeof ACTIONS)[number], Record<string, unknown>>> = {
  decideInitiation: { province: 'SH', decision: 'return', reason: '理由' },
  extendCommentPeriod: { newDeadline: new Date(Date.now() + 2 * 86400_000).toISOString(), reason: '理由' },
  recordReviewResult: { outcome: 'pass', reason: '理由' },
  decideApproval: { province: 'SH', decision: 'approve', number: 'DB31/T 310001—2026', reason: '理由' },
  decideReview: { outcome: 'continue', reason: '理由' },
};

const endpoints: Endpoint[] = [
  { name: 'propose', url: () => '/api/standards', schema: proposeSchema, valid: { ...sampleProposalBody } },
  { name: 'publicity event', url: () => `/api/standards/${standardId}/publicity-events`, schema: publicityEventBodySchema, valid: { title: '培训', kind: 'training', date: '2027-01-01', location: '青浦', description: '说明' } },
  ...ACTIONS.map((a) => ({ name: `action ${a}`, url: () => `/api/standards/${standardId}/actions/${a}`, schema: actionSchemas[a] as z.ZodType, valid: validAction[a] ?? { reason: '理由' } })),
];

const cases = endpoints.flatMap((ep) => textFields(ep.schema).flatMap((f) => BAD.map(([label, bad]) => [`${ep.name} ${f.name}${f.array ? '[]' : ''} with ${label}`, ep, f, bad] as const)));

beforeAll(async () => {
  h = await startAppHarness('textrule');
  eco = await h.signIn('sh-eco');
  standardId = (await eco.post('/api/standards', sampleProposalBody).expect(201)).body._id;
  // The proposal's own writes (audit, notifications) are done before counting starts.
  let last = '';
  for (let i = 0; i < 20; i++) {
    const now = JSON.stringify(await counts());
    if (now === last) break;
    last = now;
    await new Promise((r) => setTimeout(r, 300));
  }
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('every free-text field of the lifecycle API follows the text rule', () => {
  it('covers the proposal, the publicity events and every action that carries text', () => {
    const covered = new Set(cases.map(([, ep, f]) => `${ep.name}.${f.name}`));
    for (const f of ['titleZh', 'titleEn', 'field', 'scope', 'leadUnits', 'participatingUnits', 'batch', 'proposer', 'technicalCommittee', 'draftingUnits', 'drafters']) expect(covered).toContain(`propose.${f}`);
    for (const a of ACTIONS.filter((x) => x !== 'setReleaseDates' && x !== 'recordPublicityEvent')) expect(covered).toContain(`action ${a}.reason`);
    expect(covered).toContain('publicity event.description');
  });

  it.each(cases)('refuses %s with 400 naming the field, and stores nothing', async (_n, ep, f, bad) => {
    const before = await counts();
    const value = `正文${bad}正文`;
    const body = { ...ep.valid, [f.name]: f.array ? ['上海市生态环境局', value] : value };
    const raw = JSON.stringify(body);
    if (bad === '\ud800') expect(raw).toContain('\\ud800');
    const res = await eco.agent.post(ep.url()).set('Content-Type', 'application/json').set('X-CSRF-Token', eco.csrf).send(raw);
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    const details = res.body.details as Array<{ path: string; message_zh: string; message_en: string }>;
    const issue = details.find((d) => d.path.split('.')[0] === f.name);
    expect(issue).toBeDefined();
    expect(issue!.message_zh).toMatch(/^含/);
    expect(issue!.message_en).toMatch(/^contains /);
    expect(res.body.message_zh).toContain(`${f.name}${f.array ? '.1' : ''}：含`);
    expect(res.body.message_en).toContain(`${f.name}${f.array ? '.1' : ''}: contains`);
    expect(await counts()).toEqual(before);
  });
});

describe('what the rule keeps', () => {
  it('stores tab, newline and CJK text exactly as sent, CRLF as LF', async () => {
    const body = { ...sampleProposalBody, titleZh: '示范区\t水环境质量标准', scope: '本文件规定了：\n一、限值；\r\n二、监测。', leadUnits: ['上海市生态环境局\t水处'], drafters: ['张三 (Zhāng Sān)'] };
    const created = await eco.post('/api/standards', body).expect(201);
    const got = (await eco.agent.get(`/api/standards/${created.body._id}`).expect(200)).body.standard;
    expect(got).toMatchObject({ titleZh: '示范区\t水环境质量标准', scope: '本文件规定了：\n一、限值；\n二、监测。', leadUnits: ['上海市生态环境局\t水处'], drafters: ['张三 (Zhāng Sān)'] });

    const reason = '国家标准已覆盖：\n\t见 GB 3838—2002。';
    await eco.post(`/api/standards/${created.body._id}/actions/withdraw`, { reason }).expect(200);
    const timeline = (await eco.agent.get(`/api/standards/${created.body._id}/timeline`).expect(200)).body.items;
    expect(timeline.at(-1)).toMatchObject({ action: 'withdraw', reason });
  });
});
