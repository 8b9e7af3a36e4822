// The lifecycle's own activities: write each transition to the audit log and the projection, reserve and
// release local-standard numbers, count comments still lacking a disposition, record notifications and
// create the record of a revision. Dependencies come through the factory; every activity is idempotent.
import { ApplicationFailure } from '@temporalio/activity';
import type { Db } from 'mongodb';
import type { Logger } from '../infra/logger';
import { appendAudit, recordAuditOfRevision } from '../data/audit';
import { recordNotification, recordNotificationOfAttempt } from '../data/notifications';
import { watchersOf } from '../data/watchers';
import { noticesOfTransition } from './transition-notices';
import { markNumbersPublished, releaseReservations, reserveNumber as reserveNumberRecord } from '../data/numbers';
import { applyProjection, getStandard, insertStandardOnce } from '../data/standards';
import { pendingCommentCount } from '../comments/store';
import { PROVINCE_INFO, PROVINCES, lifecycleWorkflowId, parseStandardNumber, type StandardRecord } from '../../workflows/domain';
import type { CreateRevisionInput, NotifyInput, ReserveNumberInput, TransitionInput } from './types';

export type { CreateRevisionInput, NotifyInput, ReserveNumberInput, TransitionInput } from './types';

/**
 * Tells the people who must act next and those the transition concerns (transition-notices.ts). Written
 * after the projection, each keyed by `<standardId>:<revision>:…` and by the attempt, like the projection.
 */
async function recordTransitionNotices(db: Db, t: TransitionInput): Promise<void> {
  const [standard, watchers] = await Promise.all([getStandard(db, t.standardId), watchersOf(db, t.standardId)]);
  if (!standard) return;
  const notices = noticesOfTransition(t, standard, watchers);
  await Promise.all(notices.map((n) => recordNotificationOfAttempt(db, n, t.attemptMark)));
}

export interface LifecycleActivityDeps {
  db: Db;
  logger: Logger;
}

export function createLifecycleActivities({ db, logger }: LifecycleActivityDeps) {
  return {
    /** Records the audit entry and moves the projection forward; both keyed by (standardId, revision, attempt). */
    async recordTransition(t: TransitionInput): Promise<void> {
      // Independent and each idempotent, so written side by side: this is on the path of every action.
      await Promise.all([
        recordAuditOfRevision(db, {
          standardId: t.standardId,
          revision: t.revision,
          attemptMark: t.attemptMark,
          at: t.at,
          actor: t.actor,
          fromStage: t.fromStage,
          toStage: t.toStage,
          step: t.step,
          action: t.action,
          reason: t.reason,
        }),
        applyProjection(db, t.standardId, { ...t.projection, attemptMark: t.attemptMark }),
      ]);
      await recordTransitionNotices(db, t);
    },

    /** Reserves a province's number; a number another standard holds fails with DUPLICATE_NUMBER. */
    async reserveNumber(r: ReserveNumberInput): Promise<void> {
      const parsed = parseStandardNumber(r.number);
      if (!parsed || parsed.dbCode !== PROVINCE_INFO[r.province].dbCode) {
        throw ApplicationFailure.nonRetryable(`Malformed number ${r.number}`, 'VALIDATION_FAILED', { zh: `编号格式不正确：${r.number}`, en: `Malformed number: ${r.number}` });
      }
      const res = await reserveNumberRecord(db, {
        province: r.province,
        year: parsed.year,
        sequence: parsed.sequence,
        number: r.number,
        standardId: r.standardId,
        reservedAt: new Date().toISOString(),
      });
      if (!res.ok) {
        logger.info({ standardId: r.standardId, number: r.number, heldBy: res.heldBy }, 'duplicate number refused');
        throw ApplicationFailure.nonRetryable(`Number ${r.number} is already assigned`, 'DUPLICATE_NUMBER', {
          zh: `编号 ${r.number} 已被其他标准使用（同一省份同一年份编号不得重复）`,
          en: `Number ${r.number} is already assigned to another standard (numbers are unique per province and year)`,
        });
      }
    },

    async releaseNumberReservations({ standardId }: { standardId: string }): Promise<number> {
      return releaseReservations(db, standardId);
    },

    async confirmNumbers({ standardId }: { standardId: string }): Promise<void> {
      await markNumbersPublished(db, standardId);
    },

    /** Comments on the standard that are visible and still pending a disposition. */
    async countUndisposedComments({ standardId }: { standardId: string }): Promise<number> {
      return pendingCommentCount(db, standardId);
    },

    async notify(n: NotifyInput): Promise<void> {
      const { id, ...rest } = n;
      await recordNotification(db, { _id: id, ...rest });
    },

    /** Creates the record of a revision (idempotent: a retry finds it already there). */
    async createRevisionRecord(r: CreateRevisionInput): Promise<void> {
      const parent = await getStandard(db, r.parentId);
      if (!parent) throw ApplicationFailure.nonRetryable(`No standard ${r.parentId}`, 'NOT_FOUND');
      const replaces = PROVINCES.map((p) => parent.provinces[p]?.number).filter((n): n is string => Boolean(n));
      const record: StandardRecord = {
        _id: r.newId,
        titleZh: parent.titleZh,
        titleEn: parent.titleEn,
        kind: parent.kind,
        mandatory: parent.mandatory,
        field: parent.field,
        scope: parent.scope,
        leadProvince: parent.leadProvince,
        leadUnits: parent.leadUnits,
        participatingUnits: parent.participatingUnits,
        plannedYear: Number(r.at.slice(0, 4)),
        ...(parent.ics ? { ics: parent.ics } : {}),
        ...(parent.ccs ? { ccs: parent.ccs } : {}),
        ...(parent.proposer ? { proposer: parent.proposer } : {}),
        ...(parent.technicalCommittee ? { technicalCommittee: parent.technicalCommittee } : {}),
        draftingUnits: parent.draftingUnits,
        drafters: parent.drafters,
        replaces,
        stage: 'initiation',
        step: 'awaitingDecisions',
        provinces: { SH: { decision: 'pending' }, JS: { decision: 'pending' }, ZJ: { decision: 'pending' } },
        pendingProvinces: ['SH', 'JS', 'ZJ'],
        revision: 0,
        createdAt: r.at,
        createdBy: r.actor.userId,
        updatedAt: r.at,
        workflowId: lifecycleWorkflowId(r.newId),
        revisionOf: r.parentId,
      };
      await insertStandardOnce(db, record);
      await appendAudit(db, {
        standardId: r.newId,
        revision: 0,
        at: r.at,
        actor: r.actor,
        fromStage: null,
        toStage: 'initiation',
        step: 'awaitingDecisions',
        action: 'propose',
        reason: r.reason,
      });
    },
  };
}

export type LifecycleActivities = ReturnType<typeof createLifecycleActivities>;
