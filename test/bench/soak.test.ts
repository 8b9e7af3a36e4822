// The two-minute soak of `npm run soak` (bench/soak/run.ts): `npm start` on its own data under mixed
// traffic by every role while FerretDB, the Temporal dev server and the app are each kill -9'd three
// times. Every goal of the full soak holds: no 5xx besides the designed 503, no crossed reply, nothing
// acknowledged lost, recovery within 15 s of each kill without a hand restart, projections equal to
// their workflows.
import { runSoak } from '../../bench/soak/run';

jest.setTimeout(12 * 60_000);

test('two minutes of traffic with nine kill -9s: nothing crossed, lost or wrong, every kill healed', async () => {
  const lines: string[] = [];
  const r = await runSoak({ minutes: 2, lifecycles: 20, killsPerTarget: 3, log: (l) => lines.push(l) }).catch((e: unknown) => {
    // A run that could not even finish says what it saw before it broke off.
    console.log(lines.join('\n'));
    throw e;
  });
  const report = [...lines, ...r.tally.samples.map((s) => `sample: ${s}`), ...r.lost.map((l) => `lost: ${l}`), ...r.mismatches.map((m) => `mismatch: ${JSON.stringify(m)}`), ...r.replays.map((f) => `replay failed: ${f}`)].join('\n');
  const recoveryMax = Math.max(...r.kills.map((k) => k.recoveryS));
  const healthy = r.kills.length === 9 && r.tally.errors5xx === 0 && r.tally.crossedReplies === 0 && r.lost.length === 0 && r.mismatches.length === 0 && r.replays.length === 0 && recoveryMax <= 15;
  // The run's own log says what went wrong; shown only when something did.
  if (!healthy) console.log(report);
  expect(r.kills).toHaveLength(9);
  expect(r.tally.errors5xx).toBe(0);
  expect(r.tally.crossedReplies).toBe(0);
  expect(r.lost).toEqual([]);
  expect(r.mismatches).toEqual([]);
  expect(r.replays).toEqual([]);
  expect(recoveryMax).toBeLessThanOrEqual(15);
  // The soak did real work: acknowledged writes of every kind were checked.
  expect(r.transitionsAcked).toBeGreaterThan(20);
  expect(r.commentsAcked).toBeGreaterThan(20);
  expect(r.editsAcked).toBeGreaterThan(50);
  expect(new Set(r.kills.map((k) => k.target))).toEqual(new Set(['ferretdb', 'temporal', 'app']));
});
