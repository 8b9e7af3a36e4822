// Running what the agenda (agenda.ts) found due: closing the comment period, 发布 at the release instant
// (freeze the 发布稿, generate the documents, publish at one instant, retry later when generation fails),
// coming into force, opening 复审, reminders to whoever holds the next action, and the 备案 reminder.
import { ApplicationFailure, condition, log, proxyActivities } from '@temporalio/workflow';
import type { SeamActivities } from '../../activities/lifecycle/seams';
import { PROVINCES } from '../domain';
import { failureDetails } from '../failures';
import { holdersOf } from '../holders';
import { ACTIONS } from '../messages';
import type { Due } from './agenda';
import type { EffectsLoop } from './effects';
import type { LifecycleRun } from './run';
import { isAt } from './state';

const documentSeam = proxyActivities<Pick<SeamActivities, 'generateReleaseDocuments'>>({
  startToCloseTimeout: '10m',
  retry: { initialInterval: '2s', maximumInterval: '1m', maximumAttempts: 3 },
});

/**
 * The step to run for what came due. Each is the same function the workflow has always awaited for that
 * entry (the release is `runRelease` itself, not a wrapper), so promises settle in the recorded order.
 */
export function dueStep(run: LifecycleRun, effects: EffectsLoop, due: Due): () => Promise<void> {
  switch (due.kind) {
    case 'commentPeriodClosed':
      return async () => void (await run.transition({ to: 'publicComment', step: 'handlingComments', actor: null, action: 'commentPeriodClosed' }));
    case 'releaseDate':
    case 'releaseRetry':
      return () => runRelease(run, effects);
    case 'implementationDate':
      return async () => {
        run.enterInForce();
        await run.transition({ to: 'inForce', step: 'active', actor: null, action: 'implementationDateReached' });
      };
    case 'reviewDue':
      return async () => void (await run.transition({ to: 'review', step: 'deciding', actor: null, action: 'reviewDue' }));
    case 'reminder':
      return () => remind(run, due.at);
    case 'filingReminder':
      return async () => {
        run.times.filingDueAt = undefined;
        await run.notify('filingReminder', 0, {
          recipients: PROVINCES.map((p) => ({ role: 'marketRegulator' as const, province: p })),
          zh: `标准 ${run.input.standardId} 已发布，请办理备案`,
          en: `Standard ${run.input.standardId} was published: please file it (备案)`,
        });
      };
  }
}

/** Reminds every holder of a pending action; the next reminder is one interval after this one was due. */
async function remind(run: LifecycleRun, dueAt: number): Promise<void> {
  const { standardId, leadProvince, durations } = run.input;
  run.reminderCount += 1;
  run.times.reminderDueAt = dueAt + durations.reminderIntervalMs;
  const n = run.reminderCount;
  for (const h of holdersOf(run.state, leadProvince)) {
    await run.notify('reminder', n * 100 + ACTIONS.indexOf(h.action), {
      action: h.action,
      recipients: h.recipients,
      zh: `标准 ${standardId} 正在等待您的操作：${h.action}`,
      en: `Standard ${standardId} is waiting for you: ${h.action}`,
    });
  }
}

/** 发布: wait for the release instant, freeze the 发布稿, generate the documents, publish at one instant. */
async function runRelease(run: LifecycleRun, effects: EffectsLoop): Promise<void> {
  const { state } = run;
  const { standardId, durations } = run.input;
  run.times.releaseRetryAt = undefined;
  if (isAt(state, 'release', 'awaitingReleaseDate')) {
    run.effects.push({ kind: 'freeze', versionKind: 'published', actor: run.releaseActor });
    await run.transition({ to: 'release', step: 'generatingDocuments', actor: null, action: 'releaseDateReached' });
    // The documents are generated from the frozen 发布稿.
    await condition(effects.done);
  }
  if (!isAt(state, 'release', 'generatingDocuments')) return;
  run.releaseAttempts += 1;
  let documentIds: string[] = [];
  try {
    documentIds = (await documentSeam.generateReleaseDocuments({ standardId })).documentIds;
    // Generation takes minutes: 发布 and the 备案 reminder count from when the documents are ready.
    run.clock.refresh();
    if (documentIds.length === 0) throw ApplicationFailure.nonRetryable('no documents were generated', 'RELEASE_DOCUMENTS_EMPTY', { zh: '未生成任何发布文本', en: 'No release documents were generated' });
  } catch (e) {
    run.clock.refresh();
    const f = failureDetails(e);
    await run.notify('releaseBlocked', run.releaseAttempts, {
      recipients: [{ role: 'executiveCommittee' }, { role: 'admin' }],
      zh: `发布暂停：${f.zh}。将于稍后重试。`,
      en: `Release on hold: ${f.en}. It will be retried.`,
    });
    run.times.releaseRetryAt = run.now() + Math.max(durations.reminderIntervalMs, 1000);
    return;
  }
  if (!isAt(state, 'release', 'generatingDocuments')) return;
  log.info('release documents ready', { standardId, documents: documentIds.length });
  state.publishedAt = run.nowIso();
  run.times.filingDueAt = run.now() + durations.filingReminderMs;
  await run.transition({ to: 'publicity', step: 'running', actor: null, action: 'publish', reason: `documents ${documentIds.join(',')}` });
  await run.local.confirmNumbers({ standardId });
}
