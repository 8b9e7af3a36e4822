// The form on which the drafting group records how many units the 征求意见稿 was sent to (issue 13 item 5):
// saved by a drafter, refused with a zh/en reason when not a whole number, read-only for others, and
// printed in the 说明 line of the disposition table.
import { startAppHarness, sampleProposalBody, type AppHarness, type SignedIn } from '../http/app-harness';
import { regulatorOf } from '../../workflows/support';
import { consultationMailingExtension } from '../../../server/extensions/consultation-mailing';
import { createConsultationMailingStore } from '../../../activities/data/consultation-mailings';

let h: AppHarness;
let eco: SignedIn;
let execUser: SignedIn;
let id: string;

beforeAll(async () => {
  h = await startAppHarness('mailing', { extensions: (db) => [consultationMailingExtension({ db })] });
  eco = await h.signIn('sh-eco');
  execUser = await h.signIn('exec');
  id = (await eco.post('/api/standards', sampleProposalBody).expect(201)).body._id as string;
  for (const pr of ['SH', 'JS', 'ZJ'] as const) await h.service.act(id, 'decideInitiation', { province: pr, decision: 'approve' }, regulatorOf[pr]);
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('征求意见稿发送单位 form', () => {
  it('saves the count from the plain form and shows it again', async () => {
    const res = await eco.agent.post(`/standards/${id}/consultation-mailing?lang=zh`).type('form').send({ sentTo: '14', units: '苏州市环境监测站\n嘉兴市生态环境局', _csrf: eco.csrf });
    expect(res.status).toBe(303);
    expect(await createConsultationMailingStore(h.db).sentTo(id)).toBe(14);
    const page = await eco.agent.get(`/standards/${id}/consultation-mailing?lang=zh`).expect(200);
    expect(page.text).toContain('已记录：征求意见稿发送至14个单位');
    expect(page.text).toContain('value="14"');
    expect(page.text).toContain('嘉兴市生态环境局');
  });

  it('refuses a count that is not a whole number, in Chinese and English', async () => {
    const zh = await eco.agent.post(`/standards/${id}/consultation-mailing?lang=zh`).type('form').send({ sentTo: '2.5', _csrf: eco.csrf });
    expect(zh.status).toBe(400);
    expect(zh.text).toContain('发送单位数须为 0 至 100000 的整数');
    const en = await eco.agent.post(`/standards/${id}/consultation-mailing?lang=en`).set('X-CSRF-Token', eco.csrf).set('Accept', 'application/json').send({ sentTo: -3 });
    expect(en.status).toBe(400);
    expect(JSON.stringify(en.body)).toContain('whole number');
    expect(await createConsultationMailingStore(h.db).sentTo(id)).toBe(14);
  });

  it('lets only the drafting group or lead department write', async () => {
    const res = await execUser.agent.post(`/standards/${id}/consultation-mailing`).set('X-CSRF-Token', execUser.csrf).set('Accept', 'application/json').send({ sentTo: 1 });
    expect([403, 404]).toContain(res.status);
    expect(await createConsultationMailingStore(h.db).sentTo(id)).toBe(14);
  });
});
