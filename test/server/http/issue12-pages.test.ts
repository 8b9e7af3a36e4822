// Issue 12 (pilot readiness) at the HTTP boundary: the list filter with empty values, numbers typed as
// people type them, validation messages in words with the field's label.
import { sampleProposalBody, startAppHarness, type AppHarness, type SignedIn } from './app-harness';
import { driveToApproval } from '../../workflows/support';
import { chinaMidnight, chinaToday } from '../../../workflows/dates';

let h: AppHarness;
const s: Record<string, SignedIn> = {};

beforeAll(async () => {
  h = await startAppHarness('issue12pages');
  for (const u of ['sh-eco', 'sh-msa', 'js-msa', 'zj-msa', 'exec']) s[u] = await h.signIn(u);
}, 60_000);

afterAll(async () => {
  await h?.close();
});

async function propose(): Promise<string> {
  const res = await s['sh-eco'].post('/api/standards', sampleProposalBody).expect(201);
  return res.body._id as string;
}

/** POST an HTML form (urlencoded) with the CSRF field, follow the 303 and return the page. */
async function postForm(who: SignedIn, url: string, fields: Record<string, string>, lang?: 'en'): Promise<string> {
  const res = await who.agent.post(url).type('form').send({ ...fields, _csrf: who.csrf });
  expect(res.status).toBe(303);
  const page = await who.agent.get(`${res.headers.location as string}?lang=${lang ?? 'zh'}`).expect(200);
  return page.text;
}

describe('the list filter (item 1)', () => {
  it('on an empty install says how the first standard comes, to whoever may propose and to others', async () => {
    expect(await h.db.collection('standards').countDocuments()).toBe(0);
    expect((await s['sh-eco'].agent.get('/standards').expect(200)).text).toContain('还没有标准项目。点击「提出立项」开始第一个标准。');
    expect((await s['sh-msa'].agent.get('/standards?lang=en').expect(200)).text).toContain('No standards yet. Standards appear here once');
    const filtered = await s['sh-eco'].agent.get('/standards?stage=inForce').expect(200);
    expect(filtered.text).toContain('没有符合条件的标准项目。 <a href="/standards">显示全部</a>');
  });

  it('takes the form as a browser sends it: empty stage, province and search mean no filter', async () => {
    const id = await propose();
    const page = await s.exec.agent.get('/standards?q=&stage=&province=').expect(200);
    expect(page.text).toContain(id);
    const filtered = await s.exec.agent.get('/standards?q=%E6%B0%B4%E6%B1%A1%E6%9F%93&stage=initiation&province=').expect(200);
    expect(filtered.text).toContain(id);
    const none = await s.exec.agent.get('/standards?q=&stage=inForce&province=').expect(200);
    expect(none.text).not.toContain(id);
    await s.exec.agent.get('/api/standards?stage=&province=&page=').expect(200);
  });
});

describe('standard numbers (item 3)', () => {
  it.each(['DB31/T 310099-2026', 'DB31/T 310099–2026', 'DB31/T 310099−2026', 'DB31/T 310099－2026', 'DB31/T310099—2026', 'db31/t 310099 - 2026'])(
    'accepts %s as a number (the stage, not the format, refuses it now)',
    async (number) => {
      const id = await propose();
      const res = await s['sh-msa'].post(`/api/standards/${id}/actions/decideApproval`, { province: 'SH', decision: 'approve', number });
      expect(res.body.code).toBe('STAGE_CONFLICT');
    },
  );

  it('says which prefix the province expects, in Chinese and English', async () => {
    const id = await propose();
    const res = await s['sh-msa'].post(`/api/standards/${id}/actions/decideApproval`, { province: 'SH', decision: 'approve', number: 'DB32/T 320001-2026' }).expect(400);
    expect(res.body.message_zh).toContain('DB31');
    expect(res.body.message_zh).toContain('上海市');
    expect(res.body.message_en).toContain('must start with DB31');
  });
});

describe('validation messages in words (item 5)', () => {
  it('names the field by its label and says what is wrong in the page language, without zod wording', async () => {
    const id = await propose();
    const zh = await postForm(s['zj-msa'], `/standards/${id}/actions/decideInitiation`, { province: 'ZJ', decision: 'return', reason: '' });
    expect(zh).toContain('退回或不予立项须填写理由');
    expect(zh).not.toMatch(/a reason is required|reason：/);
    const en = await postForm(s['zj-msa'], `/standards/${id}/actions/decideInitiation`, { province: 'ZJ', decision: 'return', reason: '' }, 'en');
    expect(en).toContain('a reason is required to return or reject');
  });

  it('explains limits and missing fields of the proposal form with labels', async () => {
    const res = await s['sh-eco'].agent
      .post('/standards')
      .type('form')
      .send({ _csrf: s['sh-eco'].csrf, titleZh: '标准', titleEn: '', kind: 'emissionStandard', field: '水', scope: '范围', leadUnits: '上海市生态环境局', plannedYear: '2026', proposalCommentDays: '90' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('立项公开征求意见天数不能大于 60');
    expect(res.text).toContain('英文名称必填');
    expect(res.text).not.toMatch(/期望|expected|number &lt;=|Too big|Invalid input/);
  });
});

describe('idempotent decisions (item 7)', () => {
  it('answers a repeated decision by the same bureau (double-click) as the same success, once in the timeline', async () => {
    const id = await propose();
    const first = await postForm(s['sh-msa'], `/standards/${id}/actions/decideInitiation`, { province: 'SH', decision: 'approve' });
    expect(first).toContain('已完成：立项审核');
    const again = await postForm(s['sh-msa'], `/standards/${id}/actions/decideInitiation`, { province: 'SH', decision: 'approve' });
    expect(again).toContain('已完成：立项审核');
    expect(again).not.toContain('flash--error');
    expect(await h.db.collection('audit_log').countDocuments({ standardId: id, action: 'decideInitiation' })).toBe(1);
    // A different decision after it is still refused.
    const other = await postForm(s['sh-msa'], `/standards/${id}/actions/decideInitiation`, { province: 'SH', decision: 'return', reason: '补充材料' });
    expect(other).toContain('flash--error');
  });
});

describe('confirmation of what cannot be undone (item 8)', () => {
  it('withdraws only with the confirmation ticked, and the form asks for it', async () => {
    const id = await propose();
    const page = await s['sh-eco'].agent.get(`/standards/${id}`).expect(200);
    expect(page.text).toMatch(/name="confirm" value="yes" required/);
    const refused = await postForm(s['sh-eco'], `/standards/${id}/actions/withdraw`, { reason: '不再需要' });
    expect(refused).toContain('无法撤回');
    expect((await h.service.state(id)).stage).toBe('initiation');
    const done = await postForm(s['sh-eco'], `/standards/${id}/actions/withdraw`, { reason: '不再需要', confirm: 'yes' });
    expect(done).toContain('已完成：撤销项目');
    expect((await h.service.state(id)).stage).toBe('withdrawn');
  });

  it('rejects a proposal only with the confirmation ticked', async () => {
    const id = await propose();
    const refused = await postForm(s['zj-msa'], `/standards/${id}/actions/decideInitiation`, { province: 'ZJ', decision: 'reject', reason: '重复' });
    expect(refused).toContain('无法撤回');
    expect((await h.service.state(id)).stage).toBe('initiation');
    await postForm(s['zj-msa'], `/standards/${id}/actions/decideInitiation`, { province: 'ZJ', decision: 'reject', reason: '重复', confirm: 'yes' });
    expect((await h.service.state(id)).stage).toBe('withdrawn');
  });
});

describe('a number typed with a hyphen, at approval (items 3, 8)', () => {
  it('stores the number written the one way, then offers the release dates from the China date with a confirmation', async () => {
    const id = await driveToApproval(h);
    const typed = { SH: 'DB31/T 310099-2026', JS: 'DB32/T 320099–2026', ZJ: 'db33/t320099－2026'.replace('320099', '330099') };
    for (const [u, p] of [['sh-msa', 'SH'], ['js-msa', 'JS'], ['zj-msa', 'ZJ']] as const) {
      const page = await postForm(s[u], `/standards/${id}/actions/decideApproval`, { province: p, decision: 'approve', number: typed[p] });
      expect(page).toContain('已完成');
    }
    const state = await h.service.state(id);
    expect(state.provinces.SH.number).toBe('DB31/T 310099—2026');
    expect(state.provinces.JS.number).toBe('DB32/T 320099—2026');
    expect(state.provinces.ZJ.number).toBe('DB33/T 330099—2026');
    const tz = process.env.TZ;
    process.env.TZ = 'UTC';
    // 00:30 China time of the latest China day begun at least half an hour ago: the UTC date is still the day before.
    const real = Date.now();
    let at = chinaMidnight(chinaToday(real)) + 30 * 60_000;
    if (at > real) at -= 24 * 3600_000;
    // Only Date is faked (new Date() and Date.now() alike); timers and the rest run for real.
    jest.useFakeTimers({ now: at, doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'queueMicrotask', 'hrtime', 'performance'] });
    try {
      const page = await s.exec.agent.get(`/standards/${id}?lang=zh`).expect(200);
      expect(new Date(at).toISOString().slice(0, 10)).not.toBe(chinaToday(at));
      expect(page.text).toContain(`min="${chinaToday(at)}"`);
      expect(page.text).toMatch(/name="confirm" value="yes" required/);
    } finally {
      jest.useRealTimers();
      process.env.TZ = tz;
    }
  }, 60_000);
});
