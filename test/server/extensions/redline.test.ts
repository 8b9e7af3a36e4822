// GET /standards/:id/versions/redline?from=&to= over HTTP: staff who can read the draft get the redline DOCX
// (newer version with w:ins/w:del against the older, whichever order they were picked in) under a UTF-8 file
// name; the live draft and a drafter of other standards are refused; the versions page offers the button.
import JSZip from 'jszip';
import type { AppHarness } from '../http/app-harness';
import { seedStandard } from '../comments/support';
import type { DocJSON } from '../../../editor/types';
import { binary, putStoredVersion, startVersionsApp } from './stored-versions';

jest.setTimeout(120_000);

let h: AppHarness;
const ID = 'redline-http-1';

const body = (clauseText: string, extra: string[] = []): DocJSON =>
  ({
    type: 'doc',
    content: [
      { type: 'scope', content: [{ type: 'paragraph', content: [{ type: 'text', text: '本文件规定了示范区地表水环境质量监测的技术要求。' }] }] },
      { type: 'normativeReferences', content: [] },
      { type: 'termsAndDefinitions', content: [] },
      {
        type: 'chapter',
        attrs: { id: 'c4' },
        content: [{ type: 'heading', content: [{ type: 'text', text: '总体要求' }] }, { type: 'paragraph', content: [{ type: 'text', text: clauseText }] }, ...extra.map((t) => ({ type: 'paragraph', content: [{ type: 'text', text: t }] }))],
      },
    ],
  }) as unknown as DocJSON;

function putVersion(id: string, seq: number, json: DocJSON): Promise<void> {
  return putStoredVersion(h.db, ID, { id, seq, kind: 'workingDraft', json });
}

beforeAll(async () => {
  h = await startVersionsApp('redline');
  await seedStandard(h.db, { id: ID, stage: 'drafting', step: 'drafting' });
  await putVersion('v1aaaa', 1, body('监测点位应覆盖主要断面。', ['采样频次每月一次。']));
  await putVersion('v2bbbb', 2, body('监测点位应覆盖全部主要断面。', ['新增的质量控制要求。']));
});
afterAll(async () => {
  await h?.close();
});

describe('redline download', () => {
  it('gives the newer version with tracked changes against the older', async () => {
    const exec = await h.signIn('exec');
    // Picked in reverse order: the newer (seq 2) is still the base.
    const res = await exec.agent.get(`/standards/${ID}/versions/redline?from=v2bbbb&to=v1aaaa`).buffer(true).parse(binary).expect(200);
    const disposition = String(res.headers['content-disposition']);
    expect(decodeURIComponent(disposition.split("filename*=UTF-8''")[1])).toBe(`示范区地表水环境质量监测技术规范（${ID}）-修改对照稿（第1版→第2版）.docx`);
    const xml = await (await JSZip.loadAsync(res.body as Buffer)).file('word/document.xml')!.async('string');
    expect(xml).toMatch(/<w:ins [^>]*w:author="上海起草组"[^>]*>[^]*?全部/);
    expect(xml).toMatch(/<w:del [^>]*w:author="上海起草组"[^>]*>[^]*?采样频次每月一次。/);
    expect(xml).toMatch(/<w:ins [^>]*>[^]*?新增的质量控制要求。/);
    expect(xml).toContain('w:date="2026-03-02T08:00:00Z"');
  });

  it('refuses the live draft and a drafter of other standards; the versions page has the button', async () => {
    const exec = await h.signIn('exec');
    await exec.agent.get(`/standards/${ID}/versions/redline?from=v1aaaa&to=live`).expect(400);
    const drafter = await h.signIn('drafter-sh');
    await drafter.agent.get(`/standards/${ID}/versions/redline?from=v1aaaa&to=v2bbbb`).expect(403);
    const page = await exec.agent.get(`/standards/${ID}/versions`).expect(200);
    expect(page.text).toContain(`formaction="/standards/${ID}/versions/redline"`);
  });
});
