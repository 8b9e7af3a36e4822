// The lifecycle's state and the pure readings of it (which provinces are pending, whether a step is
// current, when the standard comes into force): shared by the validators, the agenda and the handlers,
// and unit-tested without a workflow.
import { chinaMidnight } from '../dates';
import { PROVINCES, type Province, type ProvincePosition, type Stage } from '../domain';
import type { LifecycleState, StageStep } from '../messages';

/** A deep copy: what a query or an Update returns must not alias the live state. */
export function copy<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

export function allPending(): Record<Province, ProvincePosition> {
  return { SH: { decision: 'pending' }, JS: { decision: 'pending' }, ZJ: { decision: 'pending' } };
}

/** A new lifecycle: 立项, all three provinces to decide. */
export function initialState(standardId: string): LifecycleState {
  return {
    standardId,
    stage: 'initiation',
    step: 'awaitingDecisions',
    provinces: allPending(),
    publicityEvents: 0,
    publicityDone: false,
    revision: 0,
    pendingProvinces: [...PROVINCES],
  };
}

export function isAt(state: LifecycleState, stage: Stage, step?: StageStep): boolean {
  return state.stage === stage && (step === undefined || state.step === step);
}

/** Provinces whose decision the current step waits for (only 立项 and 批准 wait for provinces). */
export function pendingProvincesOf(state: LifecycleState): Province[] {
  if (!(state.step === 'awaitingDecisions' && (state.stage === 'initiation' || state.stage === 'approval'))) return [];
  return PROVINCES.filter((p) => state.provinces[p].decision === 'pending');
}

export function allApproved(state: LifecycleState): boolean {
  return PROVINCES.every((p) => state.provinces[p].decision === 'approved');
}

/** 00:00 China time of the implementation date, once it is set. */
export function implementationInstant(state: LifecycleState): number | undefined {
  return state.implementationDate ? chinaMidnight(state.implementationDate) : undefined;
}
