// How far the app's JavaScript heap may grow between full garbage collections (HEAP_GROWTH_PERCENT, ./config.ts).
// V8 lets the old generation grow to up to four times what the last full collection left when the heap limit is
// large (about 4 GiB on a machine with 16 GiB or more), so the garbage of a long export — batches of comments
// that outlive two young-generation collections — piled up to 280 MB before V8 collected it (issue 11: the app
// at 679 MB during the two 50,000-comment exports, 416 MB with 50 %). `--heap-growing-percent` fixes the factor
// instead. It cannot be given in NODE_OPTIONS and V8 reads it at every full collection, so it is set here at
// start, for the main thread and for every worker thread started after (the Temporal workflow thread).
import v8 from 'node:v8';

/** Sets V8's heap growing factor to 1 + percent / 100; 0 gives V8 its own factor back. Returns the flag set. */
export function applyHeapGrowth(percent: number): string {
  if (!Number.isInteger(percent) || percent < 0) throw new RangeError(`heap growth percent must be a whole number ≥ 0, not ${percent}`);
  const flag = `--heap-growing-percent=${percent}`;
  v8.setFlagsFromString(flag);
  return flag;
}
