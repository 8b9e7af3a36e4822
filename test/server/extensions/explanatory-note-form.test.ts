// Issue 13 item 9 on the 编制说明 form: the two sections the note gained (与国际、国外同类标准水平的对比,
// 涉及专利的有关说明) can be written on the plain form, are kept when saved, and have English headings.
import type { AppHarness } from '../http/app-harness';
import { sampleNoteForm, startStaffPages, type StaffPages } from '../http/staff-pages-harness';
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
  ...sampleNoteForm,
  internationalComparison: '本文件未采用国际标准，限值严于欧盟同类指令。',
  patents: '本文件不涉及专利。',
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
