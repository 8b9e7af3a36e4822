// Waiting for something that may hang (a shutdown against a server that went away, a probe, a subscription)
// without being held by it: the answer says whether it settled in time, and the timer is always cleared so
// a finished wait never keeps the process alive.

/** True when `p` settles (resolves or rejects) within `ms`; false when the time ran out first. A rejection
 * is the caller's to handle on `p` itself: this only says that it ended. */
export async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p.then(
        () => true,
        () => true,
      ),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
