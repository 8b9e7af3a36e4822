// The worker is killed (SIGKILL, in its own process) in the middle of lifecycles; a new worker carries
// on: actions sent while no worker ran complete, timers that expired meanwhile fire, and the audit log
// has every revision exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { getStandard } from '../../activities/data/standards';
import { actors, regulatorOf, sampleProposal, startHarness, waitForState, type Harness } from './support';

let h: Harness;
let child: ChildProcess | undefined;

beforeAll(async () => {
  h = await startHarness('restart', { durations: { commentPeriodMs: 1500, reminderIntervalMs: 3_600_000, filingReminderMs: 60_000, reviewIntervalMs: 60_000 } });
  // This file's lifecycles run on the worker in the child process first.
  await h.stopWorker();
});
afterAll(async () => {
  child?.kill('SIGKILL');
  if (h) expect(await h.replayAll()).toBeGreaterThan(0);
  await h?.close();
});

function startWorkerProcess(): Promise<ChildProcess> {
  // node itself (with tsx as a loader), not the tsx CLI: SIGKILL must hit the worker, not a wrapper.
  const p = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'worker-process.ts'), process.env.TEMPORAL_ADDRESS!, process.env.MONGODB_URI!, h.db.databaseName, h.taskQueue], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  return new Promise((resolve, reject) => {
    let err = '';
    p.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    p.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(p);
    });
    p.once('exit', (code) => reject(new Error(`worker process exited (${code}): ${err}`)));
  });
}

async function assertAuditComplete(id: string): Promise<void> {
  const timeline = await h.service.timeline(id);
  const state = await h.service.state(id);
  expect(timeline.map((e) => e.revision)).toEqual([...Array(state.revision + 1).keys()]);
  expect((await getStandard(h.db, id))?.revision).toBe(state.revision);
}

test('killing the worker mid-lifecycle loses nothing: a new worker completes pending actions and expired timers', async () => {
  child = await startWorkerProcess();
  const a = (await h.service.propose(sampleProposal, actors.shEco))._id;
  const b = (await h.service.propose(sampleProposal, actors.shEco))._id;
  await h.service.act(a, 'decideInitiation', { province: 'SH', decision: 'approve' }, actors.shReg);
  for (const p of ['SH', 'JS', 'ZJ'] as const) await h.service.act(b, 'decideInitiation', { province: p, decision: 'approve' }, regulatorOf[p]);
  await h.service.act(b, 'submitForComment', {}, actors.drafter);

  // Kill the worker hard, with an action in flight for A and B's comment deadline about to pass.
  const inFlight = h.service.act(a, 'decideInitiation', { province: 'JS', decision: 'approve' }, actors.jsReg);
  child.kill('SIGKILL');
  await new Promise((r) => child!.once('exit', r));
  child = undefined;
  await new Promise((r) => setTimeout(r, 2500));

  // A new worker (in this process) carries on.
  await h.startWorker();
  const afterJs = await inFlight;
  expect(afterJs.provinces.JS.decision).toBe('approved');
  const s = await h.service.act(a, 'decideInitiation', { province: 'ZJ', decision: 'approve' }, actors.zjReg);
  expect([s.stage, s.step]).toEqual(['drafting', 'editing']);
  await waitForState(h, b, (x) => x.step === 'handlingComments', 30_000);
  await h.service.act(b, 'completeCommentHandling', {}, actors.drafter);

  await assertAuditComplete(a);
  await assertAuditComplete(b);
  const decisions = (await h.service.timeline(a)).filter((e) => e.action === 'decideInitiation').map((e) => e.actor?.province);
  expect(decisions).toEqual(['SH', 'JS', 'ZJ']);
  for (const id of [a, b]) await h.service.act(id, 'withdraw', { reason: '测试结束' }, actors.shEco);
}, 90_000);
