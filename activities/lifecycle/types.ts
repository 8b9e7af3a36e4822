// Inputs of the lifecycle activities (type-only; the workflow imports these as types).
import type { Actor, Province } from '../../workflows/domain';
import type { LifecycleProjection } from '../data/standards';
import type { NotificationRecord } from '../data/notifications';
import type { Stage } from '../../workflows/domain';
import type { StageStep } from '../../workflows/messages';

export interface TransitionInput {
  standardId: string;
  revision: number;
  /**
   * The workflow's history length when the transition was computed. A workflow task that failed after
   * its local activity wrote may be re-run with a different outcome for the same revision; the re-run has
   * a longer history, so its write wins over the abandoned one, whatever order the writes land in.
   */
  attemptMark: number;
  at: string;
  actor: Actor | null;
  fromStage: Stage | null;
  toStage: Stage;
  step: StageStep;
  action: string;
  reason?: string;
  projection: LifecycleProjection;
}

export interface ReserveNumberInput {
  standardId: string;
  province: Province;
  number: string;
}

/** A notification as the workflow computes it: the stored record, with its deterministic id as `id`. */
export type NotifyInput = Omit<NotificationRecord, '_id'> & { id: string };

export interface CreateRevisionInput {
  parentId: string;
  newId: string;
  actor: Actor;
  at: string;
  reason: string;
}
