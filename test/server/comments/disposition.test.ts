// Triage and disposition by the drafting group, moderation, the provinces' consolidation step, the audit
// trail, publication with outcome notices (outbox, sent through a nodemailer transport) and the
// 征求意见汇总处理表 as DOCX and CSV.
import JSZip from 'jszip';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { createLogger } from '../../../activities/infra/logger';
import { createLifecycleActivities } from '../../../activities/lifecycle';
import { createConsultationMailingStore } from '../../../activities/data/consultation-mailings';
import { Binary } from 'mongodb';
import { createVersionStore } from '../../../activities/versions/store';
import { freshMongo } from '../../support/mongo';
import { postJson, sampleDraft, seedStandard, snapshotOf, startCommentsServer, submission, type TestServer } from './support';

const deadline = '2026-12-29T16:00:00.000Z';
const SID = 'std-disp';


describe('triage and disposition of public comments', () => {
  let mongo: Awaited<ReturnType<typeof freshMongo>>;
  let server: TestServer;
  let drafter: Record<string, string>;
  let jsEco: Record<string, string>;
  let stranger: Record<string, string>;
  let admin: Record<string, string>;
  let clock = new Date('2026-12-01T00:00:00.000Z');
  const sent: string[] = [];
  const transport = nodemailer.createTransport({ jsonTransport: true });
  const receipts: Record<string, string> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    mongo = await freshMongo('comments-disp');
    await seedStandard(mongo.db, { id: SID, commentDeadline: deadline });
    // The version a disposition points to is one of the standard's own (issue 12 item 6).
    await createVersionStore(mongo.db).insert({ _id: 'v-review-1', standardId: SID, docName: `standard:${SID}`, kind: 'workingDraft', name: '处理意见后修改稿', createdBy: { userId: 'u-drafter', displayName: '起草人甲' }, createdAt: new Date(), state: new Binary(Buffer.alloc(0)), stateBytes: 0, stateSha256: '', json: null, jsonError: null, numbering: null });
    const draft = snapshotOf(sampleDraft());
    const origSend = transport.sendMail.bind(transport);
    transport.sendMail = ((mail: SendMailOptions) => {
      sent.push(String(mail.to));
      return origSend(mail);
    }) as typeof transport.sendMail;
    server = await startCommentsServer({ db: mongo.db, now: () => clock, getCommentDraft: async () => draft, delivery: { transport }, publicUrl: 'https://tongbiao.example' });
    drafter = await server.signIn('u-drafter', [{ role: 'drafter', province: 'SH', standardIds: [SID] }], '起草人甲');
    jsEco = await server.signIn('u-js-eco', [{ role: 'ecoEnvDepartment', province: 'JS' }], '江苏省生态环境厅');
    stranger = await server.signIn('u-x', [{ role: 'expert', standardIds: ['other'] }], '路人');
    admin = await server.signIn('u-admin', [{ role: 'admin' }], '管理员');
    const api = `${server.url}/api/consultation/${SID}/comments`;
    const add = async (name: string, over: Record<string, unknown>): Promise<void> => {
      const r = await postJson(api, submission(over));
      expect(r.status).toBe(201);
      receipts[name] = String(r.body.receipt);
      ids[name] = String((await mongo.db.collection('comments').findOne({ receipt: r.body.receipt }))?._id);
    };
    await add('js', { clauseId: 'c52', province: 'JS', type: 'technical', contact: 'li@example.org', name: '李四', organisation: '', showName: false });
    await add('sh', { clauseId: 'c51', province: 'SH', type: 'editorial', contact: '021-12345678', organisation: '上海某检测公司', comment: '<script>alert(1)</script> “每月”应为“每季度”' });
    await add('other', { province: 'other', type: 'general', contact: '', organisation: '某协会', comment: '=HYPERLINK("http://evil")' });
    await add('spam', { province: 'ZJ', type: 'general', contact: 'spam@example.org', comment: '广告广告广告' });
  });
  afterAll(async () => {
    await server.close();
    await mongo.drop();
  });

  const triage = (headers: Record<string, string>, q = ''): Promise<Response> => fetch(`${server.url}/api/standards/${SID}/comments${q}`, { headers });

  it('shows the drafting group every comment with counts, filters, and the clause’s current text; refuses strangers and anonymous callers', async () => {
    const res = await triage(drafter);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { counts: Record<string, unknown>; comments: Array<Record<string, unknown>> };
    expect(body.counts).toMatchObject({ total: 4, pending: 4, byProvince: { JS: 1, SH: 1, other: 1, ZJ: 1 } });
    const js = body.comments.find((c) => c.receipt === receipts.js);
    expect(js?.location).toMatchObject({ state: 'present', currentLabel: '5.2', currentText: expect.stringContaining('中泓线') });
    const filtered = (await (await triage(drafter, '?province=SH&type=editorial&clause=c51')).json()) as { comments: unknown[] };
    expect(filtered.comments).toHaveLength(1);
    expect((await triage(stranger)).status).toBe(403);
    expect((await fetch(`${server.url}/api/standards/${SID}/comments`)).status).toBe(401);
    const page = await fetch(`${server.url}/standards/${SID}/comments`, { headers: drafter }).then((r) => r.text());
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>alert(1)');
  });

  it('hides spam with who and why, keeps it stored, and leaves it out of the gate count', async () => {
    const res = await postJson(`${server.url}/api/standards/${SID}/comments/${ids.spam}/moderation`, { to: 'hidden', reason: '广告' }, drafter);
    expect(res.status).toBe(200);
    const stored = await mongo.db.collection('comments').findOne({ _id: ids.spam } as Record<string, unknown>);
    expect(stored).toMatchObject({ moderation: 'hidden', moderationLog: [{ to: 'hidden', reason: '广告', by: { userId: 'u-drafter' } }] });
    expect(await createLifecycleActivities({ db: mongo.db, logger: createLogger('test') }).countUndisposedComments({ standardId: SID })).toBe(3);
    const status = await fetch(`${server.url}/consultation/receipt/${receipts.spam}`).then((r) => r.text());
    expect(status).toContain('未公开显示');
  });

  it('lets a province’s eco-environment department add its opinion on its own province’s comments only, and a consolidated opinion', async () => {
    expect((await postJson(`${server.url}/api/standards/${SID}/comments/${ids.js}/province-opinion`, { opinion: '同意提高频次' }, jsEco)).status).toBe(200);
    expect((await postJson(`${server.url}/api/standards/${SID}/comments/${ids.sh}/province-opinion`, { opinion: '越权' }, jsEco)).status).toBe(403);
    expect((await postJson(`${server.url}/api/standards/${SID}/province-reviews`, { province: 'JS', opinion: '江苏意见已汇总' }, jsEco)).status).toBe(200);
    expect((await postJson(`${server.url}/api/standards/${SID}/province-reviews`, { province: 'SH', opinion: 'x' }, jsEco)).status).toBe(403);
  });

  it('refuses dispositions while the period is open, requires a reason unless accepted, and audits each one', async () => {
    const url = (k: string) => `${server.url}/api/standards/${SID}/comments/${ids[k]}/disposition`;
    expect((await postJson(url('js'), { decision: 'accepted' }, drafter)).status).toBe(409);
    clock = new Date(deadline);
    const noReason = await postJson(url('js'), { decision: 'rejected', reason: '  ' }, drafter);
    expect(noReason.status).toBe(400);
    expect(JSON.stringify(noReason.body)).toContain('reason');
    expect((await postJson(url('js'), { decision: 'accepted' }, jsEco)).status).toBe(403);
    expect((await postJson(url('js'), { decision: 'partiallyAccepted', reason: '改为每月两次，枯水期除外', versionId: 'v-review-1' }, drafter)).status).toBe(200);
    expect(await createLifecycleActivities({ db: mongo.db, logger: createLogger('test') }).countUndisposedComments({ standardId: SID })).toBe(2);
    expect((await postJson(url('js'), { decision: 'accepted' }, drafter)).status).toBe(200);
    const audit = await mongo.db.collection('comment_audit').find({ commentId: ids.js, action: 'dispose' }).sort({ at: 1, _id: 1 }).toArray();
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ by: { userId: 'u-drafter', role: 'drafter' }, before: { status: 'pending', disposition: null }, after: { status: 'disposed', disposition: { decision: 'partiallyAccepted', versionId: 'v-review-1' } } });
    expect(audit[1]).toMatchObject({ before: { disposition: { decision: 'partiallyAccepted' } }, after: { disposition: { decision: 'accepted' } } });
  });

  it('publishes only when every visible comment has a disposition, then queues and sends outcome notices', async () => {
    const publish = () => postJson(`${server.url}/api/standards/${SID}/comments/publish`, {}, drafter);
    const early = await publish();
    expect(early.status).toBe(409);
    expect(early.body.details).toEqual({ pending: 2 });
    await postJson(`${server.url}/api/standards/${SID}/comments/${ids.sh}/disposition`, { decision: 'rejected', reason: '<b>现行频次</b>已满足要求' }, drafter);
    await postJson(`${server.url}/api/standards/${SID}/comments/${ids.other}/disposition`, { decision: 'accepted', remark: '已在5.1中修改' }, drafter);
    expect(await createLifecycleActivities({ db: mongo.db, logger: createLogger('test') }).countUndisposedComments({ standardId: SID })).toBe(0);
    const res = await publish();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ queued: 2, delivery: { configured: true, sent: 1, failed: 0 } });
    expect(sent).toEqual(['li@example.org']);
    const outbox = await mongo.db.collection('comment_outbox').find({}).toArray();
    expect(outbox.map((o) => [o.receipt, o.channel, o.status]).sort()).toEqual([[receipts.js, 'email', 'sent'], [receipts.sh, 'manual', 'manual']].sort());
    expect(String(outbox.find((o) => o.receipt === receipts.js)?.text)).toContain(`https://tongbiao.example/consultation/receipt/${receipts.js}`);
    expect((await fetch(`${server.url}/api/admin/comment-outbox`, { headers: admin })).status).toBe(200);
    expect((await fetch(`${server.url}/api/admin/comment-outbox`, { headers: drafter })).status).toBe(403);
    const status = (await fetch(`${server.url}/api/consultation/receipts/${receipts.js}`).then((r) => r.json())) as Record<string, unknown>;
    expect(status).toMatchObject({ status: 'disposed', decision: 'accepted' });
  });

  it('shows every disposition, moderation and provincial opinion on the triage page, and the outbox to an administrator', async () => {
    const page = await fetch(`${server.url}/standards/${SID}/comments`, { headers: drafter });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('处理意见 <span lang="en">Disposition</span>：采纳');
    expect(html).toContain('处理意见 <span lang="en">Disposition</span>：不采纳');
    expect(html).toContain('同意提高频次');
    expect(html).toContain('江苏意见已汇总');
    expect(html).toContain('隐藏');
    const filtered = await fetch(`${server.url}/standards/${SID}/comments?status=hidden`, { headers: drafter }).then((r) => r.text());
    expect(filtered).toContain(receipts.spam);
    expect(filtered).not.toContain(receipts.js);
    const outbox = await fetch(`${server.url}/admin/comment-outbox`, { headers: admin }).then((r) => r.text());
    expect(outbox).toContain(receipts.sh);
    expect(outbox).toContain('需人工联系');
  });

  it('shows published dispositions on the public page, naming commenters only with their consent and showing markup as text', async () => {
    const html = await fetch(`${server.url}/consultation/${SID}/dispositions`).then((r) => r.text());
    expect(html).toContain('江苏省公众');
    expect(html).not.toContain('李四');
    expect(html).toContain('上海某检测公司');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;b&gt;现行频次&lt;/b&gt;');
    expect(html).not.toContain('广告广告');
  });

  it('produces the disposition table as DOCX (header block, seven columns, counts at the foot, markup as text) and as CSV', async () => {
    await createConsultationMailingStore(mongo.db).save(SID, { sentTo: 10 }, 'u-drafter');
    const docx = await fetch(`${server.url}/standards/${SID}/comments/disposition-table.docx`, { headers: drafter });
    expect(docx.status).toBe(200);
    const zip = await JSZip.loadAsync(Buffer.from(await docx.arrayBuffer()));
    const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
    const text = xml.replace(/<[^>]+>/g, '');
    for (const col of ['序号', '标准章条编号', '意见内容', '修改建议', '提出单位', '处理意见', '备注', '征求意见汇总处理表', '标准项目名称：', '负责起草单位：', '承办人：']) expect(text).toContain(col);
    expect(xml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(text).toContain('不采纳：&lt;b&gt;现行频次&lt;/b&gt;已满足要求');
    expect(text).toContain('收到意见3条');
    expect(text).toContain('另有1条经审核为无关或不当内容');
    expect(xml).toContain('w:orient="landscape"');
    const csv = await fetch(`${server.url}/standards/${SID}/comments/disposition-table.csv`, { headers: drafter }).then((r) => r.text());
    const lines = csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('序号,标准章条编号,意见内容,修改建议,提出单位,处理意见,备注,回执编号,处理结果');
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(lines).toHaveLength(6); // header, three visible comments, the counts line, the final CRLF
    // The usual 说明 line (issue 13 item 5): ① with the recorded count, ② = ③ the units that replied, ④ the rest.
    expect(lines[4]).toMatch(/^说明：①发送《征求意见稿》的单位数：10个；②收到《征求意见稿》后，回函的单位数：(\d+)个；③收到《征求意见稿》后，回函并有建议或意见的单位数：\1个；④没有回函的单位数：\d+个。共收到意见3条/);
    const [, replied] = /回函的单位数：(\d+)个/.exec(lines[4]) ?? [];
    expect(lines[4]).toContain(`④没有回函的单位数：${10 - Number(replied)}个`);
  });
});
