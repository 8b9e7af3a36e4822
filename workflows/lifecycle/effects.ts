// The effects loop: work that follows a transition (freezing a named version, asking the collaboration
// server to re-check permissions) runs in queue order beside the agenda loop, so an action is visible at
// once and a slow or retried effect delays no timer. A version that cannot be frozen is reported to the
// lead bureau and the admins; a failed refresh is only logged (the next one catches up).
import { condition, log, proxyActivities } from '@temporalio/workflow';
import type { SeamActivities } from '../../activities/lifecycle/seams';
import { failureDetails } from '../failures';
import type { Effect, LifecycleRun } from './run';

// Seams get timeouts that fit their work, so a worker that dies mid-activity delays a retry by at most that.
const versionSeam = proxyActivities<Pick<SeamActivities, 'freezeVersion'>>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '1s', maximumInterval: '30s', maximumAttempts: 5 },
});
const stageDocumentsSeam = proxyActivities<Pick<SeamActivities, 'generateStageDocuments'>>({
  startToCloseTimeout: '5m',
  retry: { initialInterval: '2s', maximumInterval: '1m', maximumAttempts: 3 },
});
const collabSeam = proxyActivities<Pick<SeamActivities, 'refreshCollabPermissions'>>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '10s', maximumAttempts: 3 },
});

export interface EffectsLoop {
  /** Resolves once stop() was called and the queue is empty. */
  readonly running: Promise<void>;
  /** Nothing queued and nothing in flight. */
  done(): boolean;
  stop(): void;
}

export function startEffectsLoop(run: LifecycleRun): EffectsLoop {
  const { effects } = run;
  let effectRunning = false;
  let stopEffects = false;

  async function loop(): Promise<void> {
    for (;;) {
      await condition(() => effects.length > 0 || stopEffects);
      if (effects.length === 0) return;
      effectRunning = true;
      try {
        await runEffects();
      } finally {
        effectRunning = false;
      }
    }
  }

  // One function with the loop inline (no helper awaited per effect): an effect that completes in the same
  // activation as an Update queueing the next must schedule that next one before the agenda re-arms its timer,
  // as recorded histories have it; an extra awaited call would add microtask hops and change the order.
  async function runEffects(): Promise<void> {
    const { standardId, leadProvince } = run.input;
    while (effects.length > 0) {
      const e = effects.shift() as Effect;
      if (e.kind === 'refreshCollab') {
        try {
          await collabSeam.refreshCollabPermissions({ standardId });
        } catch (err) {
          log.warn('collaboration permissions not refreshed', { standardId, error: failureDetails(err).en });
        }
        continue;
      }
      try {
        const kind = e.versionKind;
        const separate = kind !== 'published' && run.stageDocumentsEffect;
        const { versionId } = await versionSeam.freezeVersion({ standardId, kind, actor: e.actor, ...(separate ? { stageDocuments: false } : {}) });
        run.state.versions = { ...run.state.versions, [kind]: versionId };
        if (separate) {
          await stageDocumentsSeam.generateStageDocuments({ standardId, kind }).catch((err: unknown) => {
            log.warn('stage documents not generated', { standardId, kind, error: failureDetails(err).en });
          });
        }
      } catch (err) {
        const f = failureDetails(err);
        await run.notify('versionNotFrozen', 0, {
          recipients: [{ role: 'ecoEnvDepartment', province: leadProvince }, { role: 'admin' }],
          zh: `版本（${e.versionKind}）未能冻结：${f.zh}`,
          en: `The ${e.versionKind} version was not frozen: ${f.en}`,
        });
      }
    }
  }

  return {
    running: loop(),
    done: () => effects.length === 0 && !effectRunning,
    stop() {
      stopEffects = true;
    },
  };
}

