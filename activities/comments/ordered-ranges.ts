// Reading every comment of a standard, oldest first, on several connections at once. The embedded store spends
// most of an export decoding documents (FerretDB turns each stored JSON row into BSON in Go, about 0.3 ms a
// comment: 15 s of its CPU for 50,000), one query at a time per connection; split into disjoint `createdAt`
// slices read side by side, the decoding runs on every core while this process writes rows. The slices are
// emitted strictly in order, each in keyset batches, so the result is the sequential read's, batch sizes aside:
// every comment exactly once, in (createdAt, _id) order. The first slice has no lower bound and the last no
// upper one, so the split only shapes the work and can never leave a comment out (not even one stored meanwhile
// with a later time). At most `lanes` slices are read at a time, each holding at most `ahead` batches: memory
// stays a few batches however many comments there are.
import type { Cursor } from '../data/paging';

/** A half-open `createdAt` range [from, to), a missing bound unbounded; `after`: only rows after that position. */
export interface Slice {
  from?: Date;
  to?: Date;
  after?: Cursor;
}

export interface OrderedSource<T> {
  /** Up to `limit` rows of `slice` in (createdAt, _id) order, after `after` (a row of this slice) when given. */
  fetch(slice: Slice, after: Cursor | undefined, limit: number): Promise<T[]>;
  /** The keyset position of a row. */
  key(row: T): Cursor;
}

export interface ReadOptions {
  /** Slices read at the same time (connections busy at once). */
  lanes: number;
  /** Rows per round trip. */
  batch: number;
  /** Batches a slice may hold before it waits for the reader. */
  ahead: number;
}

/**
 * `n` slices of [first, last] of equal length in time, the first open below and the last open above. Fewer when
 * the span is shorter than `n` milliseconds; one unbounded slice when there is no span.
 */
export function splitSpan(first: Date, last: Date, n: number): Slice[] {
  const a = first.getTime();
  const span = last.getTime() - a;
  const bounds: number[] = [];
  for (let i = 1; i < n; i++) {
    const b = a + Math.floor((span * i) / n);
    if (b > a && b !== bounds[bounds.length - 1]) bounds.push(b);
  }
  if (!bounds.length) return [{}];
  return [{ to: new Date(bounds[0]) }, ...bounds.slice(1).map((b, i) => ({ from: new Date(bounds[i]), to: new Date(b) })), { from: new Date(bounds[bounds.length - 1]) }];
}

/** One slice's keyset batches, fetched ahead into a small queue. */
class SliceReader<T> {
  private readonly queue: T[][] = [];
  private finished = false;
  private failure: { error: unknown } | null = null;
  private stopped = false;
  private wakeReader: (() => void) | null = null;
  private wakeFetcher: (() => void) | null = null;

  constructor(
    private readonly src: OrderedSource<T>,
    private readonly slice: Slice,
    private readonly o: ReadOptions,
  ) {
    void this.run();
  }

  private async run(): Promise<void> {
    let after = this.slice.after;
    try {
      for (;;) {
        while (this.queue.length >= this.o.ahead && !this.stopped) await new Promise<void>((r) => (this.wakeFetcher = r));
        if (this.stopped) return;
        const rows = await this.src.fetch(this.slice, after, this.o.batch);
        const last = rows[rows.length - 1];
        if (rows.length) this.queue.push(rows);
        if (rows.length < this.o.batch || !last) break;
        after = this.src.key(last);
        this.wake();
      }
    } catch (error) {
      this.failure = { error };
    }
    this.finished = true;
    this.wake();
  }

  private wake(): void {
    const w = this.wakeReader;
    this.wakeReader = null;
    w?.();
  }

  /** The slice's next batch, or null when it has no more. */
  async next(): Promise<T[] | null> {
    while (!this.queue.length && !this.finished) await new Promise<void>((r) => (this.wakeReader = r));
    const batch = this.queue.shift();
    const w = this.wakeFetcher;
    this.wakeFetcher = null;
    w?.();
    if (batch) return batch;
    if (this.failure) throw this.failure.error;
    return null;
  }

  stop(): void {
    this.stopped = true;
    const w = this.wakeFetcher;
    this.wakeFetcher = null;
    w?.();
  }
}

/** Every row of every slice, slice after slice, each in keyset batches; up to `lanes` slices fetched at once. */
export async function* readInOrder<T>(src: OrderedSource<T>, slices: Slice[], o: ReadOptions): AsyncGenerator<T[]> {
  const readers: Array<SliceReader<T>> = [];
  const startNext = (): void => {
    if (readers.length < slices.length) readers.push(new SliceReader(src, slices[readers.length], o));
  };
  for (let i = 0; i < Math.max(1, o.lanes); i++) startNext();
  try {
    for (let i = 0; i < slices.length; i++) {
      for (let batch = await readers[i].next(); batch; batch = await readers[i].next()) yield batch;
      startNext();
    }
  } finally {
    // A reader that stops early (or a failed slice) leaves the others' fetches unread.
    for (const r of readers) r.stop();
  }
}
