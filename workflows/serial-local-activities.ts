// The lifecycle's local activities, run one at a time. Two in flight at once (an Update's and the agenda
// loop's) can resolve in one order live and in another on replay — a nondeterminism error the replay test
// caught — so each call waits for the one before it to settle.
import { proxyLocalActivities } from '@temporalio/workflow';
import type { LifecycleActivities } from '../activities/lifecycle';

const localActivities = proxyLocalActivities<LifecycleActivities>({
  startToCloseTimeout: '15s',
  retry: { initialInterval: '200ms', maximumInterval: '5s', nonRetryableErrorTypes: ['DUPLICATE_NUMBER', 'VALIDATION_FAILED', 'NOT_FOUND'] },
});

export type SerialLocalActivities = LifecycleActivities & {
  /** Calls made and not yet settled (queued ones included): the lifecycle's clock does not move meanwhile. */
  inFlight(): number;
};

/** One queue per workflow run: call it once, inside the workflow function. */
export function serialLocalActivities(): SerialLocalActivities {
  let tail: Promise<void> = Promise.resolve();
  let inFlight = 0;
  function serially<T>(run: () => Promise<T>): Promise<T> {
    inFlight += 1;
    const result = tail.then(run);
    tail = result.then(
      () => {
        inFlight -= 1;
      },
      () => {
        inFlight -= 1;
      },
    );
    return result;
  }
  return {
    inFlight: () => inFlight,
    recordTransition: (a) => serially(() => localActivities.recordTransition(a)),
    reserveNumber: (a) => serially(() => localActivities.reserveNumber(a)),
    releaseNumberReservations: (a) => serially(() => localActivities.releaseNumberReservations(a)),
    confirmNumbers: (a) => serially(() => localActivities.confirmNumbers(a)),
    countUndisposedComments: (a) => serially(() => localActivities.countUndisposedComments(a)),
    notify: (a) => serially(() => localActivities.notify(a)),
    createRevisionRecord: (a) => serially(() => localActivities.createRevisionRecord(a)),
  };
}
