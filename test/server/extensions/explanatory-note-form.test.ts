// Issue 13 item 9 on the 编制说明 form: the two sections the note gained (与国际、国外同类标准水平的对比,
// 涉及专利的有关说明) can be written on the plain form, are kept when saved, and have English headings.
import type { AppHarness } from '../http/app-harness';
import { startStaffPages, type StaffPages } from '../http/staff-pages-harness';
import { createExplanatoryNoteStore } from '../../../activities/data/explanatory-notes';

let h: AppHarness;
let s: StaffPages['s'];
let propose: StaffPages['propose'];

beforeAll(async () => {
  ({ h, s, propose } = await startStaffPages('notesections'));
}, 60_000);

afterAll(async () => {
  await h?.close();
});

const form = {
  taskSource: '长三角示范区执委会2026年标准计划',
  process: '组建起草组，开展调研，形成征求意见稿。',
  principlesAndBasis: '科学性、可操作性。',
  topic0: '4 要求',
  rationale0: '依据现状监测数据确定。',
  verification: '开展了三地试点。',
  internationalComparison: '本文件未采用国际标准，限值严于欧盟同类指令。',
  patents: '本文件不涉及专利。',
  relationToLawsAndStandards: '与现行法律法规协调一致。',
  majorDivergences: '无。',
  implementationSuggestions: '发布后六个月实施。',
};

describe('the 编制说明 form: international comparison and patents (issue 13 item 9)', () => {
  it('stores both sections and shows them again under their headings', async () => {
    const id = await propose();
    await s['sh-eco'].agent
      .post(`/standards/${id}/explanatory-note?kind=draftForComment&lang=zh`)
      .type('form')
      .send({ ...form, _csrf: s['sh-eco'].csrf })
      .expect(303);
    const stored = await createExplanatoryNoteStore<Record<string, unknown>>(h.db).get(id, 'draftForComment');
    expect(stored?.note).toMatchObject({ internationalComparison: form.internationalComparison, patents: form.patents });
    const page = await s['sh-eco'].agent.get(`/standards/${id}/explanatory-note?kind=draftForComment&lang=zh`).expect(200);
    expect(page.text).toContain('<h2>六、涉及专利的有关说明</h2>');
    expect(page.text).toContain('<h2>十、其他应予说明的事项</h2>');
    expect(page.text).toContain(form.internationalComparison);
    expect(page.text).toContain(form.patents);
    const en = await s['sh-eco'].agent.get(`/standards/${id}/explanatory-note?kind=draftForComment&lang=en`).expect(200);
    expect(en.text).toContain('<h2>6 Patents</h2>');
    expect(en.text).toContain('<h2>10 Other matters</h2>');
  });
});
