// Stage drafts and the 编制说明 are a workflow effect of their own (behind patched('stage-documents-effect-1')):
// a new lifecycle freezes the 征求意见稿 with `stageDocuments: false` and then schedules the activity
// `generateStageDocuments`; the published version gets no stage documents. Older histories (without the
// marker) keep generating inside freezeVersion — the replay test covers that their commands are unchanged.
import { actors, chinaTodayNow, driveToApproval, numberFor, regulatorOf, startHarness, waitForState, type Harness } from './support';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('stagedocs');
});
afterAll(async () => {
  if (h) expect(await h.replayAll()).toBeGreaterThan(0);
  await h?.close();
});

type Scheduled = { name: string; input: Record<string, unknown> };

async function scheduled(id: string): Promise<Scheduled[]> {
  const history = await h.client.workflow.getHandle(`standard-${id}`).fetchHistory();
  return (history.events ?? []).flatMap((e) => {
    const a = e.activityTaskScheduledEventAttributes;
    if (!a?.activityType?.name) return [];
    const payload = a.input?.payloads?.[0]?.data;
    return [{ name: a.activityType.name, input: payload ? (JSON.parse(Buffer.from(payload).toString('utf8')) as Record<string, unknown>) : {} }];
  });
}

test('each stage freeze is followed by generateStageDocuments for that kind; the published freeze is not', async () => {
  const id = await driveToApproval(h);
  const today = chinaTodayNow();
  await h.service.act(id, 'setReleaseDates', { releaseDate: today, implementationDate: today }, actors.exec);
  for (const p of ['SH', 'JS', 'ZJ'] as const) await h.service.act(id, 'decideApproval', { province: p, decision: 'approve', number: numberFor(p, 350001) }, regulatorOf[p]);
  await waitForState(h, id, (s) => s.stage === 'inForce', 30_000);

  const docs = (await scheduled(id)).filter((a) => a.name === 'freezeVersion' || a.name === 'generateStageDocuments');
  expect(docs.map((a) => `${a.name}:${String(a.input.kind)}`)).toEqual([
    'freezeVersion:draftForComment',
    'generateStageDocuments:draftForComment',
    'freezeVersion:draftForReview',
    'generateStageDocuments:draftForReview',
    'freezeVersion:draftForApproval',
    'generateStageDocuments:draftForApproval',
    'freezeVersion:published',
  ]);
  // The freezes of stage drafts leave the documents to the separate activity; the published one has none.
  expect(docs.filter((a) => a.name === 'freezeVersion').map((a) => a.input.stageDocuments)).toEqual([false, false, false, undefined]);
  await h.service.act(id, 'withdraw', { reason: '测试结束' }, actors.exec);
}, 120_000);
