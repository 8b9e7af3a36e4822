// Lifecycle durations from the configuration (days, fractions allowed) to the workflow's milliseconds.
import type { Config } from '../infra/config';
import { DAY_MS, type LifecycleDurations } from '../../workflows/messages';

export function durationsFromConfig(c: Pick<Config, 'COMMENT_PERIOD_DAYS' | 'REMINDER_INTERVAL_DAYS' | 'FILING_REMINDER_DAYS' | 'REVIEW_INTERVAL_DAYS'>): LifecycleDurations {
  return {
    commentPeriodMs: Math.round(c.COMMENT_PERIOD_DAYS * DAY_MS),
    reminderIntervalMs: Math.round(c.REMINDER_INTERVAL_DAYS * DAY_MS),
    filingReminderMs: Math.round(c.FILING_REMINDER_DAYS * DAY_MS),
    reviewIntervalMs: Math.round(c.REVIEW_INTERVAL_DAYS * DAY_MS),
  };
}
