// The goal's condition for bench:scale (issue 11): the timed calls run "while 10 public comments per second
// arrive". Posts public comments to the open standard at a steady rate (a timer, not a loop awaiting each
// answer, so a slow answer does not lower the rate), each from its own address as a member of the public,
// and reports what was acknowledged, refused and how long the POSTs took.
import { randomBytes } from 'node:crypto';

export interface CommentLoadReport {
  posted: number;
  acknowledged: number;
  failed: number;
  /** Failures by answer (an HTTP status, `timeout`, `error`, `skipped` when 50 were in flight). */
  failures: Record<string, number>;
  seconds: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** The five slowest POSTs: seconds after the load started when each was sent, and how long it took. */
  slowest: Array<{ atS: number; ms: number }>;
}

/** `firstNumber`: the number of the first comment (a second load on the same standard starts past the first, so
 *  its texts are new: a repeated text takes intake's duplicate path). */
export function startCommentLoad(base: string, standardId: string, perSecond: number, firstNumber = 0): { stop(): Promise<CommentLoadReport> } {
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  const ms: number[] = [];
  const sent: number[] = [];
  let posted = 0;
  let n = firstNumber;
  let acknowledged = 0;
  let failed = 0;
  const failures: Record<string, number> = {};
  const fail = (why: string): void => {
    failed++;
    failures[why] = (failures[why] ?? 0) + 1;
  };
  const post = async (n: number): Promise<void> => {
    const t = performance.now();
    try {
      const res = await fetch(`${base}/api/consultation/${standardId}/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-forwarded-for': `10.77.${Math.floor(n / 250) % 250}.${n % 250}` },
        body: JSON.stringify({
          submissionKey: `scale${randomBytes(8).toString('hex')}`,
          type: 'technical',
          comment: `建议第5章排放限值更严格（规模测试期间的意见 ${n}）`,
          name: `公众${n}`,
          province: 'SH',
          contact: `scale-${n}@example.org`,
        }),
      });
      await res.arrayBuffer();
      if (res.status === 200 || res.status === 201) acknowledged++;
      else fail(String(res.status));
    } catch (e) {
      fail((e as Error).name === 'TimeoutError' ? 'timeout' : 'error');
    }
    ms.push(performance.now() - t);
    sent.push((t - started) / 1000);
  };
  const timer = perSecond > 0
    ? setInterval(() => {
        // At most 50 in flight: a store that stopped answering shows as failures, not as a flood.
        if (inFlight.size >= 50) {
          fail('skipped');
          return;
        }
        posted++;
        const p = post(n++).finally(() => inFlight.delete(p));
        inFlight.add(p);
      }, 1000 / perSecond)
    : null;
  return {
    async stop() {
      if (timer) clearInterval(timer);
      await Promise.all([...inFlight]);
      const sorted = [...ms].sort((a, b) => a - b);
      const at = (p: number): number => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : 0);
      const slowest = ms.map((x, i) => ({ atS: Math.round(sent[i] * 10) / 10, ms: Math.round(x) })).sort((a, b) => b.ms - a.ms).slice(0, 5);
      return { posted, acknowledged, failed, failures, seconds: (performance.now() - started) / 1000, p50Ms: at(0.5), p95Ms: at(0.95), maxMs: sorted.length ? sorted[sorted.length - 1] : 0, slowest };
    },
  };
}
