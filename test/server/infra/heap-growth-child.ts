// Child process of heap-growth.test.ts: applies HEAP_GROWTH_PERCENT = argv[2], keeps a live base of ≈ 40 MB, then
// makes garbage that outlives the young generation (a ring of 40 batches, as an export's batches do) and prints
// the largest old-generation size seen and the live base, as JSON.
import v8 from 'node:v8';
import { applyHeapGrowth } from '../../../server/infra/heap-growth';

applyHeapGrowth(Number(process.argv[2]));
const oldUsed = (): number => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')?.space_used_size ?? 0;
const base: Array<{ a: string; b: number[] }> = [];
for (let i = 0; i < 300_000; i++) base.push({ a: `live-${i}`, b: [i] });

async function main(): Promise<void> {
  await new Promise((r) => setTimeout(r, 50));
  const live = oldUsed();
  let peak = 0;
  const ring: unknown[] = [];
  for (let round = 0; round < 2500; round++) {
    ring.push(Array.from({ length: 1000 }, (_, i) => ({ id: `c${round}-${i}`, text: `意见${'文'.repeat(40)}${i}`, n: i })));
    if (ring.length > 40) ring.shift();
    await new Promise((r) => setImmediate(r));
    peak = Math.max(peak, oldUsed());
  }
  process.stdout.write(JSON.stringify({ live, peak, kept: base.length + ring.length }));
}

void main();
