// GET /standards/:id/versions/clause-table?from=&to= over HTTP (issue 13): staff who can read the draft get
// the two-column 条文对照表 (older | newer, whichever order they were picked in) named after the stage drafts,
// under a UTF-8 file name; the live draft and a drafter of other standards are refused; the versions page
// offers the button.
import JSZip from 'jszip';
import type { AppHarness } from '../http/app-harness';
import { seedStandard } from '../comments/support';
import type { DocJSON } from '../../../editor/types';
import { binary, putStoredVersion, startVersionsApp } from './stored-versions';

jest.setTimeout(120_000);

let h: AppHarness;
const ID = 'clause-table-http-1';

const body = (clauseText: string): DocJSON =>
  ({
    type: 'doc',
    content: [
      { type: 'scope', attrs: { id: 'scope' }, content: [{ type: 'paragraph', content: [{ type: 'text', text: '本文件规定了示范区地表水环境质量监测的技术要求。' }] }] },
      { type: 'normativeReferences', content: [] },
      { type: 'termsAndDefinitions', content: [] },
      { type: 'chapter', attrs: { id: 'c4' }, content: [{ type: 'heading', content: [{ type: 'text', text: '总体要求' }] }, { type: 'paragraph', content: [{ type: 'text', text: clauseText }] }] },
    ],
  }) as unknown as DocJSON;

function putVersion(id: string, seq: number, kind: string, json: DocJSON): Promise<void> {
  return putStoredVersion(h.db, ID, { id, seq, kind, json });
}

beforeAll(async () => {
  h = await startVersionsApp('clausetable');
  await seedStandard(h.db, { id: ID, stage: 'drafting', step: 'drafting' });
  await putVersion('v1cccc', 1, 'draftForComment', body('监测点位应覆盖主要断面。'));
  await putVersion('v2dddd', 2, 'draftForReview', body('监测点位应覆盖全部主要断面。'));
});
afterAll(async () => {
  await h?.close();
});

describe('条文对照表 download', () => {
  it('gives 征求意见稿 | 送审稿 with the changed chapter in both columns', async () => {
    const exec = await h.signIn('exec');
    const res = await exec.agent.get(`/standards/${ID}/versions/clause-table?from=v2dddd&to=v1cccc`).buffer(true).parse(binary).expect(200);
    const disposition = String(res.headers['content-disposition']);
    expect(decodeURIComponent(disposition.split("filename*=UTF-8''")[1])).toMatch(/-条文对照表（第1版→第2版）\.docx$/);
    const xml = await (await JSZip.loadAsync(res.body as Buffer)).file('word/document.xml')!.async('string');
    const text = xml.replace(/<\/w:p>/g, '\n').replace(/<[^>]+>/g, '');
    expect(text.indexOf('征求意见稿')).toBeLessThan(text.indexOf('送审稿'));
    expect(text.indexOf('监测点位应覆盖主要断面。')).toBeLessThan(text.indexOf('监测点位应覆盖全部主要断面。'));
    expect(text).toContain('修改1个');
  });

  it('refuses the live draft and a drafter of other standards; the versions page has the button', async () => {
    const exec = await h.signIn('exec');
    await exec.agent.get(`/standards/${ID}/versions/clause-table?from=v1cccc&to=live`).expect(400);
    await exec.agent.get(`/standards/${ID}/versions/clause-table?from=v1cccc&to=v1cccc`).expect(400);
    const drafter = await h.signIn('drafter-sh');
    await drafter.agent.get(`/standards/${ID}/versions/clause-table?from=v1cccc&to=v2dddd`).expect(403);
    const page = await exec.agent.get(`/standards/${ID}/versions`).expect(200);
    expect(page.text).toContain(`formaction="/standards/${ID}/versions/clause-table"`);
  });
});
