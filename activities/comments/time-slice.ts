// The exports build their rows synchronously, a batch of comments at a time: 1,000 CSV rows held the event loop
// for 10–50 ms, and every request of the app — a public comment's POST first, which makes several round trips to
// the store — waited behind each batch (issue 11: comment intake while the 50,000-comment table is exported).
// A slicer hands the event loop back every few milliseconds of such work, so requests interleave with the rows.
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Milliseconds of row building between two turns of the event loop. */
export const SLICE_MS = 8;

export interface TimeSlicer {
  /** True when the work since the last pause has taken `ms` or more. */
  due(): boolean;
  /** Lets timers and I/O run (one turn of the event loop), then starts the next slice. */
  pause(): Promise<void>;
}

export function timeSlicer(ms = SLICE_MS): TimeSlicer {
  let start = performance.now();
  return {
    due: () => performance.now() - start >= ms,
    async pause() {
      await nextTurn();
      start = performance.now();
    },
  };
}
