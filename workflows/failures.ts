// The typed failures a lifecycle Update ends with (the server maps their types to HTTP statuses), and the
// reading of an activity's failure back into its type and bilingual message.
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

/** Failure types an Update can end with; the server maps them to HTTP statuses. */
export type LifecycleFailureType = 'FORBIDDEN' | 'STAGE_CONFLICT' | 'VALIDATION_FAILED' | 'DUPLICATE_NUMBER';

/** Throws the typed failure an Update (or its validator) ends with: a message in Chinese and English. */
export function refuse(type: LifecycleFailureType, zh: string, en: string): never {
  throw ApplicationFailure.create({ type, message: en, details: [{ zh, en }], nonRetryable: true });
}

/** The type and bilingual message of a failed activity (or any error), for a refusal or a notification. */
export function failureDetails(e: unknown): { type?: string; zh: string; en: string } {
  const cause = e instanceof ActivityFailure ? e.cause : e;
  if (cause instanceof ApplicationFailure) {
    const d = (cause.details?.[0] ?? {}) as { zh?: string; en?: string };
    return { type: cause.type ?? undefined, zh: d.zh ?? cause.message, en: d.en ?? cause.message };
  }
  const msg = e instanceof Error ? e.message : String(e);
  return { zh: msg, en: msg };
}
