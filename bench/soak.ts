// `npm run soak`: mixed traffic by every role against `npm start` on its own data while FerretDB, the
// Temporal dev server and the app are each kill -9'd at least three times (SOAK_MINUTES, default 15;
// SOAK_LIFECYCLES, default 50). Prints each kill and its recovery, the tally of answers, and RESULT lines:
// 5xx other than the designed 503, crossed replies, acknowledged writes lost, the slowest recovery, and
// projections that differ from their workflow, and histories that do not replay on the workflow code. Exits non-zero when a goal is missed.
import { runSoak } from './soak/run';

async function main(): Promise<void> {
  const minutes = Number(process.env.SOAK_MINUTES ?? 15);
  const lifecycles = Number(process.env.SOAK_LIFECYCLES ?? 50);
  const kills = Number(process.env.SOAK_KILLS_PER_TARGET ?? 3);
  if (!(minutes > 0) || !(lifecycles > 0) || !(kills >= 0)) throw new Error('SOAK_MINUTES, SOAK_LIFECYCLES and SOAK_KILLS_PER_TARGET must be positive numbers');
  console.log(`soak: ${minutes} min, ${lifecycles} lifecycles, kill -9 of FerretDB, Temporal and the app, ${kills} times each`);
  const r = await runSoak({ minutes, lifecycles, killsPerTarget: kills, log: (l) => console.log(l) });
  const t = r.tally;
  console.log('\n| target | at s | recovery s |\n|---|---|---|');
  for (const k of r.kills) console.log(`| ${k.target} | ${k.atS.toFixed(1)} | ${k.recoveryS.toFixed(1)} |`);
  console.log(`\nrequests ${t.requests}, ok ${t.ok}, 503 ${t.unavailable503}, other 5xx ${t.errors5xx}, no answer ${t.connectionFailures}`);
  console.log(`acknowledged: ${r.transitionsAcked} transitions, ${r.commentsAcked} comments, ${r.editsAcked} edits; app RSS max ${r.appRssMaxMb.toFixed(0)} MB; ${r.durationS.toFixed(0)} s`);
  for (const s of t.samples) console.log(`  sample: ${s}`);
  for (const l of r.lost.slice(0, 20)) console.log(`  lost: ${l}`);
  for (const m of r.mismatches.slice(0, 20)) console.log(`  mismatch ${m.standardId}: workflow ${m.workflow}, projection ${m.projection}`);
  for (const f of r.replays.slice(0, 20)) console.log(`  replay failed: ${f}`);
  const recoveryMax = Math.max(0, ...r.kills.map((k) => k.recoveryS));
  const results: Array<[string, number, string, boolean]> = [
    ['soak_5xx', t.errors5xx, 'goal 0', t.errors5xx === 0],
    ['soak_crossed_replies', t.crossedReplies, 'goal 0', t.crossedReplies === 0],
    ['soak_acked_lost', r.lost.length, 'goal 0', r.lost.length === 0],
    ['soak_recovery_max_s', Number(recoveryMax.toFixed(1)), 'goal <=15', recoveryMax <= 15],
    ['soak_projection_mismatches', r.mismatches.length, 'goal 0', r.mismatches.length === 0],
    ['soak_replay_failures', r.replays.length, 'goal 0', r.replays.length === 0],
  ];
  console.log('');
  for (const [name, value, goal, met] of results) console.log(`RESULT ${name} ${value} ${goal} ${met ? 'met' : 'missed'}`);
  process.exit(results.every(([, , , met]) => met) ? 0 : 1);
}

main().catch((e: unknown) => {
  console.error('soak failed:', e);
  process.exit(2);
});
