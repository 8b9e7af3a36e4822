// Drives one sample standard through the whole lifecycle over the HTTP API, signing in as each role in
// turn: proposal, the three bureaus' initiation decisions, drafting, public comment (with an extension,
// closing by its timer), technical review, approval with three numbers and the common dates, release,
// publicity, entry into force and the 复审 opened by its timer. Used by `npm run demo:lifecycle` and by
// the end-to-end API test. Throws on the first unexpected answer.
import { randomInt } from 'node:crypto';
import { DEMO_PASSWORD } from '../server/auth/demo-accounts';
import { chinaToday } from '../workflows/dates';
import type { Province, Stage } from '../workflows/domain';
import type { LifecycleState, StageStep } from '../workflows/messages';

export interface DriveOptions {
  baseUrl: string;
  /** Progress lines; default none. */
  log?: (line: string) => void;
  /** How long to wait for a timer-driven transition. */
  waitMs?: number;
}

export interface TimelineRow {
  at: string;
  actor: { displayName: string; role: string; province?: string } | null;
  fromStage: Stage | null;
  toStage: Stage;
  step: StageStep;
  action: string;
  reason?: string;
}

export interface DriveResult {
  standardId: string;
  numbers: Record<Province, string>;
  finalState: LifecycleState;
  timeline: TimelineRow[];
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what} → HTTP ${status}: ${JSON.stringify(body)}`);
  }
}

const RETRY_503_TOTAL_MS = 30_000;

/** A signed-in API client with its own cookie jar and CSRF token. */
export class ApiSession {
  private cookies = new Map<string, string>();
  private csrf = '';

  constructor(
    private readonly baseUrl: string,
    readonly username: string,
  ) {}

  /** The session's CSRF token, for form posts made outside `request`. */
  csrfToken(): string {
    return this.csrf;
  }

  /** The Cookie header of this session (for WebSocket upgrades). */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, body);
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
    const text = await res.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new ApiError(res.status, parsed, `${this.username}: ${method} ${path}`);
    return parsed as T;
  }

  /**
   * One request, sent again while the app answers 503 "temporarily unavailable" (its store or Temporal briefly
   * unreachable) as its Retry-After asks (at most 5 s a time, 30 s in all) — for reads and the sign-in only: an
   * action answered 503 may have been under way, so it is not repeated blindly.
   */
  private async send(method: string, path: string, body: unknown): Promise<Response> {
    const retryable = method === 'GET' || path === '/api/session';
    const deadline = Date.now() + RETRY_503_TOTAL_MS;
    for (;;) {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (this.cookies.size) headers.cookie = this.cookieHeader();
      if (this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(this.baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'manual' });
      const waitMs = Math.min(5000, 1000 * (Number(res.headers.get('retry-after')) || 1));
      if (res.status !== 503 || !retryable || Date.now() + waitMs > deadline) return res;
      await res.arrayBuffer();
      await new Promise((r) => setTimeout(r, waitMs));
    }
  }

  async signIn(password = DEMO_PASSWORD): Promise<this> {
    const r = await this.request<{ csrfToken: string }>('POST', '/api/session', { username: this.username, password });
    this.csrf = r.csrfToken;
    return this;
  }
}

export async function driveLifecycle(opts: DriveOptions): Promise<DriveResult> {
  const log = opts.log ?? (() => undefined);
  const waitMs = opts.waitMs ?? 60_000;
  const as = async (username: string): Promise<ApiSession> => new ApiSession(opts.baseUrl, username).signIn();
  const [shEco, exec, drafter, expert, qingpu] = await Promise.all(['sh-eco', 'exec', 'drafter-sh', 'expert', 'qingpu'].map(as));
  const regulators: Record<Province, ApiSession> = { SH: await as('sh-msa'), JS: await as('js-msa'), ZJ: await as('zj-msa') };

  const act = (s: ApiSession, id: string, action: string, payload: Record<string, unknown>): Promise<LifecycleState> => {
    log(`  ${s.username.padEnd(10)} ${action} ${JSON.stringify(payload)}`);
    return s.request<LifecycleState>('POST', `/api/standards/${id}/actions/${action}`, payload);
  };
  const waitFor = async (id: string, what: string, pred: (s: LifecycleState) => boolean): Promise<LifecycleState> => {
    log(`  … waiting: ${what}`);
    const deadline = Date.now() + waitMs;
    for (;;) {
      const s = await shEco.request<LifecycleState>('GET', `/api/standards/${id}/state`);
      if (pred(s)) return s;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; state ${s.stage}/${s.step}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  /** Waits for entry into force; a release held up (no documents) fails at once with the lifecycle's reason. */
  const waitForRelease = async (id: string): Promise<void> => {
    log('  … waiting: release at the agreed instant and entry into force');
    const deadline = Date.now() + waitMs;
    for (;;) {
      const st = await exec.request<LifecycleState>('GET', `/api/standards/${id}/state`);
      if (st.stage === 'inForce' || st.stage === 'review') return;
      if (st.step === 'generatingDocuments') {
        const notes = (await exec.request<{ items: Array<{ standardId: string; kind: string; headline: string }> }>('GET', '/api/notifications')).items;
        const blocked = notes.find((n) => n.standardId === id && n.kind === 'releaseBlocked');
        if (blocked) throw new Error(blocked.headline);
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for release; state ${st.stage}/${st.step}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  log('立项 Initiation');
  const record = await shEco.request<{ _id: string }>('POST', '/api/standards', {
    titleZh: '示范区水污染物排放标准（演示）',
    titleEn: 'Discharge standard of water pollutants for the demonstration zone (demo)',
    kind: 'emissionStandard',
    mandatory: false,
    field: '水环境',
    scope: '本文件规定了长三角生态绿色一体化发展示范区内水污染物排放限值、监测要求和实施与监督。',
    leadUnits: ['上海市生态环境局', '江苏省生态环境厅', '浙江省生态环境厅'],
    participatingUnits: ['长三角生态绿色一体化发展示范区执行委员会'],
    plannedYear: Number(chinaToday(Date.now()).slice(0, 4)) + 1,
    ics: '13.060.30',
    ccs: 'Z 60',
    proposer: '上海市生态环境局、江苏省生态环境厅、浙江省生态环境厅',
    technicalCommittee: '长三角生态绿色一体化发展示范区执行委员会',
    draftingUnits: ['上海市环境科学研究院'],
    drafters: ['张三', '李四'],
    drafterUsernames: ['drafter-sh'],
  });
  const id = record._id;
  log(`  proposed ${id}`);
  await act(regulators.JS, id, 'decideInitiation', { province: 'JS', decision: 'return', reason: '请补充三地现行排放限值对比' });
  await act(shEco, id, 'resubmit', { reason: '已补充对比表' });
  for (const p of ['SH', 'JS', 'ZJ'] as const) await act(regulators[p], id, 'decideInitiation', { province: p, decision: 'approve' });

  log('起草 Drafting → 征求意见 Public comment');
  let s = await act(drafter, id, 'submitForComment', { reason: '征求意见稿及编制说明' });
  if (s.stage !== 'publicComment' || !s.commentDeadline) throw new Error(`expected an open comment period, got ${s.stage}/${s.step}`);
  const extended = new Date(Date.parse(s.commentDeadline) + 1500).toISOString();
  s = await act(exec, id, 'extendCommentPeriod', { newDeadline: extended, reason: '应企业要求延长' });
  if (s.commentDeadline !== extended) throw new Error(`deadline not moved: ${s.commentDeadline} ≠ ${extended}`);
  await waitFor(id, 'the comment period closes by its timer', (x) => x.step === 'handlingComments');
  await act(drafter, id, 'completeCommentHandling', { reason: '意见已全部处理' });

  log('技术审查 Technical review');
  await act(expert, id, 'recordReviewResult', { outcome: 'passWithChanges', reason: '修改第5章限值表述后通过' });
  await act(drafter, id, 'submitForApproval', { reason: '报批稿' });

  log('报批 Approval');
  const year = chinaToday(Date.now()).slice(0, 4);
  const numbers = {} as Record<Province, string>;
  const code: Record<Province, string> = { SH: '31', JS: '32', ZJ: '33' };
  for (const p of ['SH', 'JS', 'ZJ'] as const) {
    // Numbers are unique per province and year: pick a free sequence (earlier demo runs hold some).
    for (let attempt = 0; ; attempt++) {
      const n = `DB${code[p]}/T ${code[p]}${String(randomInt(0, 10000)).padStart(4, '0')}—${year}`;
      try {
        await act(regulators[p], id, 'decideApproval', { province: p, decision: 'approve', number: n });
        numbers[p] = n;
        break;
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 409 && (e.body as { code?: string }).code === 'DUPLICATE_NUMBER') || attempt > 5) throw e;
      }
    }
  }
  const today = chinaToday(Date.now());
  await act(exec, id, 'setReleaseDates', { releaseDate: today, implementationDate: today });

  log('发布 Release → 宣贯 Publicity → 实施 In force');
  await waitForRelease(id);
  log(`  qingpu     publicity event`);
  await qingpu.request('POST', `/api/standards/${id}/publicity-events`, {
    title: '示范区水污染物排放标准宣贯培训',
    kind: 'training',
    date: today,
    location: '青浦区',
    description: '面向企业的标准解读与答疑',
  });

  log('复审 Review');
  await waitFor(id, 'the review opens by its timer', (x) => x.stage === 'review');
  const finalState = await act(shEco, id, 'decideReview', { outcome: 'continue', reason: '标准适用，继续有效' });

  const timeline = (await shEco.request<{ items: TimelineRow[] }>('GET', `/api/standards/${id}/timeline`)).items;
  return { standardId: id, numbers, finalState, timeline };
}

/** The timeline as text rows: time, who, role, from → to, action, reason. */
export function formatTimeline(rows: readonly TimelineRow[]): string {
  return rows
    .map((r) => {
      const who = r.actor ? `${r.actor.displayName} (${r.actor.role}${r.actor.province ? ' ' + r.actor.province : ''})` : '(timer)';
      return `${r.at}  ${(r.fromStage ?? '—').padEnd(15)} → ${r.toStage.padEnd(15)} ${r.action.padEnd(24)} ${who}${r.reason ? '  — ' + r.reason : ''}`;
    })
    .join('\n');
}
