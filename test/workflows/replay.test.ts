// Replays every recorded lifecycle history (test/workflows/histories/) against the current workflow code: a
// change that breaks determinism (without `patched()`) fails here. The newest shape of the full lifecycle is
// full-lifecycle.json, re-recorded with `TONGBIAO_RECORD_HISTORY=1 npx jest test/workflows/lifecycle-full.test.ts`
// after a change behind `patched()`; older shapes stay (renamed) while running lifecycles may have them. The
// paths the full run does not take — a returned proposal and 报批稿 (returned-proposal.json), 技术审查 back to
// drafting (back-to-drafting.json), a release retried after failed generation (release-retried.json) — are
// recorded by test/workflows/recorded-paths.test.ts the same way. `*-before-timer-driven-agenda.json` are each path as
// it was before the lifecycle's clock (workflows/lifecycle/clock.ts).
// The file is protobufjs's JSON of the History (what `fetchHistory()` serialises to); it is read back with
// `History.fromObject` because `historyFromJSON` of @temporalio/common trips over a second copy of
// protobufjs in this install ("type must be a Type").
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { sharedBundle } from './support';

function historyFromJSON(json: Record<string, unknown>): temporal.api.history.v1.History {
  return temporal.api.history.v1.History.fromObject(json);
}

const recorded = readdirSync(path.join(__dirname, 'histories')).filter((f) => f.endsWith('.json'));

test('the newest shape, the older ones and the extra paths are recorded', () => {
  const paths = ['full-lifecycle', 'returned-proposal', 'back-to-drafting', 'release-retried'];
  const older = ['full-lifecycle-before-stage-documents', 'full-lifecycle-before-light-transitions', ...paths.map((p) => `${p}-before-timer-driven-agenda`), 'technical-review-meeting-before-timer-driven'];
  for (const f of [...paths, 'technical-review-meeting', ...older]) expect(recorded).toContain(`${f}.json`);
});

test.each(recorded)('the recorded history %s replays on the current workflow code', async (file) => {
  const json = JSON.parse(readFileSync(path.join(__dirname, 'histories', file), 'utf8')) as Record<string, unknown>;
  const history = historyFromJSON(json);
  expect(history.events?.length).toBeGreaterThan(50);
  await Worker.runReplayHistory({ workflowBundle: await sharedBundle() }, history, `standard-recorded-${file}`);
}, 60_000);

test('a replay fails when the workflow code no longer matches the history', async () => {
  const json = JSON.parse(readFileSync(path.join(__dirname, 'histories', 'full-lifecycle.json'), 'utf8')) as { events: Array<Record<string, unknown>> };
  // Drop the first activity scheduled after start: the code will schedule it, the history does not have it.
  const i = json.events.findIndex((e) => e.eventType === 'EVENT_TYPE_MARKER_RECORDED');
  expect(i).toBeGreaterThan(0);
  json.events.splice(i, 1);
  json.events.forEach((e, n) => (e.eventId = String(n + 1)));
  await expect(Worker.runReplayHistory({ workflowBundle: await sharedBundle() }, historyFromJSON(json), 'standard-tampered')).rejects.toThrow();
}, 60_000);
