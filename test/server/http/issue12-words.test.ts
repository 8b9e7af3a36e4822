// Issue 12 items 5 and 11 on the staff pages: stage and step in words on the standard's page and the list,
// timeline reasons in words, and the warning on the standard's page when 报批 is offered with no 编制说明.
import type { AppHarness } from './app-harness';
import { sampleNoteForm as noteForm, startStaffPages, type StaffPages } from './staff-pages-harness';
import { actors, waitForState } from '../../workflows/support';
import { stageInWords, timelineReasonInWords } from '../../../server/http/views';

let h: AppHarness;
let s: StaffPages['s'];
let propose: StaffPages['propose'];
let toDrafting: StaffPages['toDrafting'];

beforeAll(async () => {
  ({ h, s, propose, toDrafting } = await startStaffPages('issue12words'));
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('stage and step in words (item 5)', () => {
  it('names the stage and its step on the standard page and the list, never the codes', async () => {
    const id = await propose();
    await toDrafting(id);
    const page = await s['sh-eco'].agent.get(`/standards/${id}?lang=zh`).expect(200);
    expect(page.text).toContain('起草·编辑中');
    expect(page.text).not.toMatch(/drafting\/editing|>editing</);
    const en = await s['sh-eco'].agent.get(`/standards/${id}?lang=en`).expect(200);
    expect(en.text).toContain('Drafting · editing');
    const list = await s.exec.agent.get('/standards?q=&stage=drafting&province=&lang=zh').expect(200);
    expect(list.text).toContain('起草·编辑中');
  });

  it('has words for every step and leaves out steps that only repeat the stage', () => {
    expect(stageInWords('publicComment', 'handlingComments', 'zh')).toBe('征求意见·处理意见中');
    expect(stageInWords('publicComment', 'open', 'en')).toBe('Public comment · open for comment');
    expect(stageInWords('inForce', 'active', 'zh')).toBe('实施');
    expect(stageInWords('withdrawn', 'ended', 'en')).toBe('Withdrawn');
  });

  it('shows timeline reasons that are references in words', () => {
    const titles = new Map([['0e515f31-2b7c-4c1e-9d0a-1234567890ab', '标准宣贯会']]);
    expect(timelineReasonInWords('event 0e515f31-2b7c-4c1e-9d0a-1234567890ab', titles)).toEqual({ zh: '宣贯活动：标准宣贯会', en: 'Publicity event: 标准宣贯会' });
    expect(timelineReasonInWords('event 11111111-2222-3333-4444-555555555555', titles)?.zh).toBe('已登记宣贯活动');
    expect(timelineReasonInWords('documents 6b1059aa,6b1059ab,6b1059ac', titles)).toEqual({ zh: '已生成3份发布文件', en: '3 release editions generated' });
    expect(timelineReasonInWords('补充材料', titles)).toEqual({ zh: '补充材料', en: '补充材料' });
    expect(timelineReasonInWords(undefined, titles)).toBeNull();
  });
});

describe('报批 with an empty 编制说明 (item 11)', () => {
  it('warns on the standard page while 报批 is offered and the 报批稿 has no 编制说明, without refusing', async () => {
    const id = await propose();
    await toDrafting(id);
    await h.service.act(id, 'submitForComment', {}, actors.drafter);
    await waitForState(h, id, (st) => st.step === 'handlingComments');
    await h.service.act(id, 'completeCommentHandling', {}, actors.drafter);
    await h.service.act(id, 'recordReviewResult', { outcome: 'pass' }, actors.expert);
    await waitForState(h, id, (st) => st.step === 'revising');
    const page = await s['sh-eco'].agent.get(`/standards/${id}?lang=zh`).expect(200);
    expect(page.text).toContain('id="approval-note-warning"');
    expect(page.text).toContain('报批稿的编制说明尚未填写');
    expect(page.text).toContain('action="/standards/' + id + '/actions/submitForApproval"');
    // Once written, the warning goes.
    await s['sh-eco'].agent
      .post(`/standards/${id}/explanatory-note?kind=draftForApproval`)
      .type('form')
      .send({ ...noteForm, _csrf: s['sh-eco'].csrf })
      .expect(303);
    const after = await s['sh-eco'].agent.get(`/standards/${id}?lang=zh`).expect(200);
    expect(after.text).not.toContain('id="approval-note-warning"');
  }, 60_000);

  it('does not warn where 报批 is not offered', async () => {
    const id = await propose();
    const page = await s['sh-eco'].agent.get(`/standards/${id}?lang=zh`).expect(200);
    expect(page.text).not.toContain('approval-note-warning');
  });
});
