// Issue 12 item 5: the document-job page names the generation's phase in words (zh/en), never the
// generator's code ("body", "frontMatter"). A real job (MongoDB-backed) held in its body phase.
import { documentsExtension } from '../../../server/extensions/documents';
import { createGenerationJobs, type GenerationJobs } from '../../../server/files/jobs';
import { JOB_PHASE_WORDS } from '../../../server/files/phase-words';
import { createLogger } from '../../../activities/infra/logger';
import { sampleProposalBody, startAppHarness, type AppHarness } from './app-harness';

jest.setTimeout(120_000);

let h: AppHarness;
let jobs: GenerationJobs;

beforeAll(async () => {
  h = await startAppHarness('document-job-words', {
    extensions: (db) => {
      jobs = createGenerationJobs({ db, logger: createLogger('test-jobs') });
      return [documentsExtension({ db, jobs })];
    },
  });
});

afterAll(async () => {
  jobs?.close();
  await h?.close();
});

test('the job page says the phase in words in both languages', async () => {
  const eco = await h.signIn('sh-eco');
  const created = await eco.post('/api/standards', sampleProposalBody).expect(201);
  const id = (created.body as { _id: string })._id;
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => (release = r));
  const jobId = await jobs.start(eco.userId, id, async (progress) => {
    progress(0.3, 'body');
    await held;
    throw new Error('stopped by the test');
  });
  const url = `/standards/${id}/documents/jobs/${jobId}`;
  let zh = '';
  for (let i = 0; i < 100 && !zh.includes(JOB_PHASE_WORDS.body.zh); i += 1) {
    zh = (await eco.agent.get(url).expect(200)).text;
    if (!zh.includes(JOB_PHASE_WORDS.body.zh)) await new Promise((r) => setTimeout(r, 100));
  }
  expect(zh).toContain('进度（排版正文）');
  const en = (await eco.agent.get(`${url}?lang=en`).expect(200)).text;
  expect(en).toContain('Progress (Setting the body)');
  expect(en).not.toContain('（body）');
  release();
});

test('every phase the generator reports has words', () => {
  for (const [code, w] of Object.entries(JOB_PHASE_WORDS)) {
    expect(w.zh).not.toContain(code);
    expect(w.en.length).toBeGreaterThan(0);
  }
});
