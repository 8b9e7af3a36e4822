// A lifecycle's commands must not depend on the SDK's reading of the time: that reading is not always the
// same live and on replay (after a local activity outlasted a workflow task; once, in the soak, for a worker
// taking a lifecycle over after a kill -9, which read the previous task's instant), and a lifecycle whose
// choices followed it could not be replayed after the next restart — its workflow task failed forever.
// Here the recorded full lifecycle is replayed with every workflow task's time replaced by the previous
// task's (the take-over reading) and with times jittered by seconds either way: the current shape
// (workflows/lifecycle/clock.ts) replays; the shape before it does not, which is what this guards against.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { sharedBundle } from './support';

interface JsonEvent {
  eventType: string;
  eventTime: { seconds: string; nanos?: number };
}

function load(file: string): { events: JsonEvent[] } {
  return JSON.parse(readFileSync(path.join(__dirname, 'histories', file), 'utf8')) as { events: JsonEvent[] };
}

const isTaskStart = (e: JsonEvent): boolean => e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_STARTED';

/** Every workflow task after the first reads the time of the task before it. */
function staleTaskTimes(h: { events: JsonEvent[] }): { events: JsonEvent[] } {
  const out = structuredClone(h);
  let previous: JsonEvent['eventTime'] | undefined;
  for (const e of out.events) {
    if (!isTaskStart(e)) continue;
    const own = e.eventTime;
    if (previous) e.eventTime = previous;
    previous = own;
  }
  return out;
}

/** Every workflow task's time moved by up to `maxMs` either way (a fixed pseudo-random sequence). */
function jitteredTaskTimes(h: { events: JsonEvent[] }, maxMs: number, seed: number): { events: JsonEvent[] } {
  const out = structuredClone(h);
  let x = seed;
  for (const e of out.events) {
    if (!isTaskStart(e)) continue;
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    const shift = Math.round(((x / 2 ** 31) * 2 - 1) * maxMs);
    const ms = Number(e.eventTime.seconds) * 1000 + Math.floor((e.eventTime.nanos ?? 0) / 1e6) + shift;
    e.eventTime = { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 };
  }
  return out;
}

async function replay(h: { events: JsonEvent[] }, id: string): Promise<void> {
  const history = temporal.api.history.v1.History.fromObject(h);
  await Worker.runReplayHistory({ workflowBundle: await sharedBundle() }, history, id);
}

test.each(['full-lifecycle.json', 'release-retried.json', 'back-to-drafting.json', 'technical-review-meeting.json'])('the current lifecycle (%s) replays when each workflow task reads the previous task’s time', async (file) => {
  const h = load(file);
  expect(h.events.filter(isTaskStart).length).toBeGreaterThan(10);
  await replay(h, `standard-clock-exact-${file}`);
  await replay(staleTaskTimes(h), `standard-clock-stale-${file}`);
}, 60_000);

test.each([1, 2, 3])('the current lifecycle replays with task times jittered by seconds (seed %i)', async (seed) => {
  await replay(jitteredTaskTimes(load('full-lifecycle.json'), 3_000, seed), `standard-clock-jitter-${seed}`);
}, 60_000);

test('the lifecycle before the timer-driven agenda does not: its choices followed the readings', async () => {
  const old = load('full-lifecycle-before-timer-driven-agenda.json');
  await replay(old, 'standard-clock-old-exact');
  await expect(replay(staleTaskTimes(old), 'standard-clock-old-stale')).rejects.toThrow(/[Nn]ondeterminism/);
}, 60_000);
