// Calendar dates of the lifecycle are China dates (UTC+8, no daylight saving): a release date means
// 00:00 China time of that day. Pure functions over epoch milliseconds (workflow-safe: callers pass the
// workflow clock).

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `s` is a real calendar date written yyyy-mm-dd. */
export function isIsoDate(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

/** The instant (epoch ms) of 00:00 China time on the given yyyy-mm-dd. */
export function chinaMidnight(date: string): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`not a yyyy-mm-dd date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - CHINA_OFFSET_MS;
}

/** Today's date in China at the given instant, yyyy-mm-dd. */
export function chinaToday(nowMs: number): string {
  return new Date(nowMs + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}
