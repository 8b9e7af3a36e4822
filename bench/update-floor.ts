// The floor for the lifecycle benchmark: a workflow whose Update returns at once, so a bare Temporal
// Update round trip can be measured on the same servers in the same run. Benchmark-only: it is in the
// benchmark's bundle (bench/workflows.ts), not in the production one (workflows/index.ts).
import { condition, defineSignal, defineUpdate, setHandler } from '@temporalio/workflow';

export const pingUpdate = defineUpdate<number, [number]>('ping');
export const stopFloorSignal = defineSignal('stop');

export async function updateFloorWorkflow(): Promise<number> {
  let pings = 0;
  let stopped = false;
  setHandler(pingUpdate, (n) => {
    pings += 1;
    return n;
  });
  setHandler(stopFloorSignal, () => {
    stopped = true;
  });
  await condition(() => stopped);
  return pings;
}
