// Runs read-modify-write steps on one key one after another within this process. The embedded FerretDB (SQLite
// backend) does not isolate concurrent updates of one document: 61 comments arriving at once left their
// standard's `$inc` counters at 12, and a conditional update can succeed for several writers at once. Steps
// on the same key queue here; different keys run concurrently. It does not reach across processes: several
// app processes on the embedded store (start:cluster) can still lose an update; MongoDB itself is atomic.
const tails = new Map<string, Promise<unknown>>();

export function serialByKey<T>(key: string, step: () => Promise<T>): Promise<T> {
  const before = tails.get(key) ?? Promise.resolve();
  const run = before.then(step, step);
  // The queue continues whatever this step's outcome; its caller still sees the outcome itself.
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  tails.set(key, tail);
  void tail.then(() => {
    if (tails.get(key) === tail) tails.delete(key);
  });
  return run;
}
