// Issue 12 item 4: a returned proposal is amended and resubmitted through the standard's page. The
// 修改后重新提交 form shows the proposal's fields prefilled; the post is checked by the one proposal
// schema, updates only the proposal's fields (only while returned), says in the resubmit's reason what
// changed, and resubmits. The return reason is at the top of the page for everyone while returned.
import { sampleProposalBody, startAppHarness, type AppHarness, type SignedIn } from './app-harness';
import { amendReturnedProposal, getStandard } from '../../../activities/data/standards';

let h: AppHarness;
const s: Record<string, SignedIn> = {};

beforeAll(async () => {
  h = await startAppHarness('issue12amend');
  for (const u of ['sh-eco', 'js-msa', 'zj-msa']) s[u] = await h.signIn(u);
}, 60_000);

afterAll(async () => {
  await h?.close();
});

async function proposeAndReturn(reason: string): Promise<string> {
  const res = await s['sh-eco'].post('/api/standards', { ...sampleProposalBody, ics: '13.060', draftingUnits: ['上海市环境科学研究院'], drafters: ['张三'] }).expect(201);
  const id = res.body._id as string;
  await s['js-msa'].post(`/api/standards/${id}/actions/decideInitiation`, { province: 'JS', decision: 'return', reason }).expect(200);
  return id;
}

function formOf(html: string): string {
  const m = /<form[^>]*action="\/standards\/[^"]+\/actions\/resubmit"[\s\S]*?<\/form>/.exec(html);
  expect(m).not.toBeNull();
  return m?.[0] ?? '';
}

describe('a returned proposal (item 4)', () => {
  it('shows the return reason at the top of the page to everyone while returned', async () => {
    const id = await proposeAndReturn('请补充适用范围中的监测点位要求');
    for (const who of ['sh-eco', 'zj-msa', 'js-msa']) {
      const page = await s[who].agent.get(`/standards/${id}`).expect(200);
      const at = page.text.indexOf('id="return-reason"');
      expect(at).toBeGreaterThan(0);
      expect(at).toBeLessThan(page.text.indexOf('id="positions-h"'));
      expect(page.text.slice(at, at + 1000)).toContain('请补充适用范围中的监测点位要求');
      expect(page.text.slice(at, at + 1000)).toContain('江苏省');
    }
    const en = await s['zj-msa'].agent.get(`/standards/${id}?lang=en`).expect(200);
    expect(en.text).toContain('The proposal was returned for revision');
  });

  it('offers the proposal’s fields prefilled, updates them, says what changed and resubmits', async () => {
    const id = await proposeAndReturn('标题应写明“示范区”范围');
    const page = await s['sh-eco'].agent.get(`/standards/${id}`).expect(200);
    const form = formOf(page.text);
    expect(form).toContain('name="amend" value="proposal"');
    expect(form).toContain(`value="${sampleProposalBody.titleZh}"`);
    expect(form).toContain(`value="${sampleProposalBody.titleEn}"`);
    expect(form).toContain(sampleProposalBody.scope);
    expect(form).toContain('value="13.060"');
    expect(form).toContain('上海市环境科学研究院');
    expect(form).toContain('张三');
    expect(form).toMatch(/name="plannedYear"[^>]*value="2026"/);
    // Other roles get no such form.
    expect((await s['zj-msa'].agent.get(`/standards/${id}`).expect(200)).text).not.toContain('name="amend"');

    const res = await s['sh-eco'].agent
      .post(`/standards/${id}/actions/resubmit`)
      .type('form')
      .send({
        _csrf: s['sh-eco'].csrf,
        amend: 'proposal',
        titleZh: '长三角示范区水污染物排放标准',
        titleEn: sampleProposalBody.titleEn,
        field: sampleProposalBody.field,
        scope: '本文件规定了示范区内水污染物排放限值和监测点位要求。',
        leadUnits: '上海市生态环境局',
        participatingUnits: '江苏省生态环境厅\n浙江省生态环境厅',
        draftingUnits: '上海市环境科学研究院\n江苏省环境科学研究院',
        drafters: '张三',
        plannedYear: '2027',
        ics: '13.060',
        ccs: 'Z 10',
        reason: '已按意见修改标题',
      });
    expect(res.status).toBe(303);
    const after = await s['sh-eco'].agent.get(res.headers.location as string).expect(200);
    expect(after.text).toContain('已修改后重新提交');
    expect(after.text).not.toContain('id="return-reason"');
    const rec = await getStandard(h.db, id);
    expect(rec).toMatchObject({ titleZh: '长三角示范区水污染物排放标准', plannedYear: 2027, ccs: 'Z 10', step: 'awaitingDecisions', draftingUnits: ['上海市环境科学研究院', '江苏省环境科学研究院'] });
    expect(rec?.kind).toBe(sampleProposalBody.kind);
    const last = (await h.service.timeline(id)).at(-1);
    expect(last?.action).toBe('resubmit');
    expect(last?.reason).toContain('已按意见修改标题');
    expect(last?.reason).toContain('中文名称');
    expect(last?.reason).toContain('适用范围');
    expect(last?.reason).toContain('计划完成年份');
    expect(last?.reason).not.toContain('英文名称');
    // No longer returned: the data function changes nothing.
    expect(await amendReturnedProposal(h.db, id, { ...rec!, titleZh: '不应写入' })).toBeNull();
    expect((await getStandard(h.db, id))?.titleZh).toBe('长三角示范区水污染物排放标准');
  });

  it('refuses an invalid amendment with the field’s message, keeps what was entered and changes nothing', async () => {
    const id = await proposeAndReturn('请修改英文名称');
    const res = await s['sh-eco'].agent
      .post(`/standards/${id}/actions/resubmit`)
      .type('form')
      .send({ _csrf: s['sh-eco'].csrf, amend: 'proposal', titleZh: '新的中文名称', titleEn: '', field: '水', scope: '范围', leadUnits: '上海市生态环境局', plannedYear: '2026' });
    expect(res.status).toBe(303);
    const page = await s['sh-eco'].agent.get(res.headers.location as string).expect(200);
    expect(page.text).toContain('英文名称');
    const form = formOf(page.text);
    expect(form).toContain('value="新的中文名称"');
    expect(form).toMatch(/name="titleEn"[^>]*aria-invalid="true"/);
    const rec = await getStandard(h.db, id);
    expect(rec).toMatchObject({ titleZh: sampleProposalBody.titleZh, step: 'returned' });
  });
});
