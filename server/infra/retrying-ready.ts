// A start-up step (creating a module's indexes) that requests wait for. Started at once; a failure (the store
// away at that moment) is reported and not kept: the next caller starts it again. A module that kept the
// rejected promise answered errors until the process restarted, and one that swallowed it ran without its
// indexes (unique ones included) for the life of the process.
export function retryingReady(run: () => Promise<unknown>, onFailure: (err: unknown) => void): () => Promise<void> {
  let current: Promise<void> | null = null;
  const whenReady = (): Promise<void> => {
    if (!current) {
      const attempt = run().then(() => undefined);
      current = attempt;
      attempt.catch((err: unknown) => {
        if (current === attempt) current = null;
        onFailure(err);
      });
    }
    return current;
  };
  whenReady().catch(() => undefined);
  return whenReady;
}
