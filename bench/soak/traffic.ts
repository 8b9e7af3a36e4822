// The soak's mixed traffic, each kind in its own loop until `stop()`: sign-ins and page views by every
// role (each answer checked to belong to its request), lifecycle actions that drive 50 standards through
// their stages with short timers firing, public comments with receipts, and co-editing sockets that write
// and wait for `stored`. Everything acknowledged is remembered, so the end of the soak can check that none
// of it was lost.
import { randomBytes, randomInt } from 'node:crypto';
import { BenchClient } from '../collab/client';
import { chinaToday } from '../../workflows/dates';
import { draftDocName, type Province } from '../../workflows/domain';
import type { LifecycleState } from '../../workflows/messages';
import { NoAnswer, SoakClient, type Tally } from './http';

export const ROLE_ACCOUNTS = ['sh-eco', 'js-eco', 'zj-eco', 'sh-msa', 'js-msa', 'zj-msa', 'exec', 'qingpu', 'drafter-sh', 'drafter-js', 'expert', 'admin'] as const;
const REGULATOR: Record<Province, string> = { SH: 'sh-msa', JS: 'js-msa', ZJ: 'zj-msa' };
const DB_CODE: Record<Province, string> = { SH: '31', JS: '32', ZJ: '33' };

export interface AckedTransition {
  standardId: string;
  revision: number;
  action: string;
}
export interface AckedComment {
  standardId: string;
  receipt: string;
}
export interface Acked {
  transitions: AckedTransition[];
  comments: AckedComment[];
  /** Per draft document: the probe keys whose edit the server answered `stored`. */
  edits: Map<string, Set<string>>;
}

export interface TrafficOptions {
  base: () => string;
  tally: Tally;
  lifecycles: number;
  log: (line: string) => void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

type StateBody = LifecycleState & { standardId: string };

export class Traffic {
  readonly acked: Acked = { transitions: [], comments: [], edits: new Map() };
  readonly standards: string[] = [];
  /** Standards kept open for public comment (their period is extended far out). */
  readonly commentTargets: string[] = [];
  /** Standards kept in drafting for the co-editing sockets. */
  readonly editTargets: string[] = [];
  private readonly clients = new Map<string, SoakClient>();
  private running = true;
  private loops: Array<Promise<void>> = [];
  private sockets: BenchClient[] = [];
  private addressSeq = 1;

  constructor(private readonly opts: TrafficOptions) {}

  private client(username: string): SoakClient {
    let c = this.clients.get(username);
    if (!c) {
      c = new SoakClient(this.opts.base, username, `10.77.0.${this.addressSeq++}`, this.opts.tally);
      this.clients.set(username, c);
    }
    return c;
  }

  /** Retries a call that got no answer or a 503 until it gets a real answer (or the soak stops). */
  private async persist<T>(fn: () => Promise<T>, isUnavailable: (v: T) => boolean): Promise<T | undefined> {
    while (this.running) {
      try {
        const v = await fn();
        if (!isUnavailable(v)) return v;
      } catch (e) {
        if (!(e instanceof NoAnswer)) throw e;
      }
      await sleep(500);
    }
    return undefined;
  }

  /** Signs everyone in and proposes the standards. */
  async setUp(): Promise<void> {
    for (const u of ROLE_ACCOUNTS) {
      const ok = await this.persist(() => this.client(u).signIn(), (v) => !v);
      if (!ok) throw new Error(`sign-in of ${u} failed`);
    }
    const shEco = this.client('sh-eco');
    for (let i = 0; i < this.opts.lifecycles; i++) {
      const a = await this.persist(
        () =>
          shEco.request<{ _id: string; titleZh: string }>('POST', '/api/standards', {
            titleZh: `示范区耐久性测试标准 ${i + 1}`,
            titleEn: `Soak test standard ${i + 1}`,
            kind: 'emissionStandard',
            mandatory: false,
            field: '水环境',
            scope: '本文件规定了耐久性测试所用的排放限值。',
            leadUnits: ['上海市生态环境局'],
            participatingUnits: ['江苏省生态环境厅', '浙江省生态环境厅'],
            plannedYear: Number(chinaToday(Date.now()).slice(0, 4)) + 1,
            draftingUnits: ['上海市环境科学研究院'],
            drafters: ['张三'],
            drafterUsernames: ['drafter-sh'],
          }),
        (v) => v.status === 503,
      );
      if (!a || a.status !== 201 || !a.body) throw new Error(`proposal ${i} failed: ${a?.status} ${a?.text.slice(0, 200)}`);
      this.standards.push(a.body._id);
    }
    // A few standards stay open for comment, a few stay in drafting for the sockets; the rest move on.
    this.commentTargets.push(...this.standards.slice(0, 4));
    this.editTargets.push(...this.standards.slice(4, 7));
  }

  start(): void {
    this.loops.push(this.lifecycleLoop(0), this.lifecycleLoop(1), this.pageLoop(), this.commentLoop(), this.signInLoop());
    for (const id of this.editTargets) this.loops.push(this.editLoop(id));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    for (const s of this.sockets) s.close();
  }

  // ---- lifecycles ---------------------------------------------------------------------------------

  private async state(id: string): Promise<StateBody | undefined> {
    const a = await this.client('exec').request<StateBody>('GET', `/api/standards/${id}/state`);
    if (a.status !== 200 || !a.body) return undefined;
    if (a.body.standardId !== id) {
      this.client('exec').crossed(`state of ${id} answered for ${a.body.standardId}`);
      return undefined;
    }
    return a.body;
  }

  private async act(username: string, id: string, action: string, payload: Record<string, unknown>): Promise<number> {
    const c = this.client(username);
    const a = await c.request<StateBody>('POST', `/api/standards/${id}/actions/${action}`, payload);
    if (a.status === 200 && a.body) {
      if (a.body.standardId !== id) c.crossed(`${action} on ${id} answered for ${a.body.standardId}`);
      else this.acked.transitions.push({ standardId: id, revision: a.body.revision, action });
    } else if (a.status === 401) await c.signIn();
    return a.status;
  }

  /** The next action of a standard in its current state, taken by the role that may take it. */
  private async advance(id: string): Promise<void> {
    const s = await this.state(id);
    if (!s) return;
    const reason = `耐久性测试 soak ${randomBytes(3).toString('hex')}`;
    const at = `${s.stage}/${s.step}`;
    if (at === 'initiation/awaitingDecisions') {
      const p = s.pendingProvinces[0];
      if (p) await this.act(REGULATOR[p], id, 'decideInitiation', { province: p, decision: 'approve' });
    } else if (at === 'drafting/editing') {
      if (!this.editTargets.includes(id)) await this.act('drafter-sh', id, 'submitForComment', { reason });
    } else if (at === 'publicComment/open') {
      if (this.commentTargets.includes(id) && s.commentDeadline && Date.parse(s.commentDeadline) < Date.now() + 3_600_000) {
        await this.act('exec', id, 'extendCommentPeriod', { newDeadline: new Date(Date.now() + 86_400_000).toISOString(), reason });
      }
    } else if (at === 'publicComment/handlingComments') {
      await this.act('drafter-sh', id, 'completeCommentHandling', { reason });
    } else if (at === 'technicalReview/underReview') {
      await this.act('expert', id, 'recordReviewResult', { outcome: 'passWithChanges', reason });
    } else if (at === 'technicalReview/revising') {
      await this.act('drafter-sh', id, 'submitForApproval', { reason });
    } else if (at === 'approval/awaitingDecisions') {
      const p = s.pendingProvinces[0];
      if (p) {
        const year = chinaToday(Date.now()).slice(0, 4);
        const number = `DB${DB_CODE[p]}/T ${DB_CODE[p]}${String(randomInt(0, 10000)).padStart(4, '0')}—${year}`;
        await this.act(REGULATOR[p], id, 'decideApproval', { province: p, decision: 'approve', number });
      } else if (!s.releaseDate) {
        const today = chinaToday(Date.now());
        await this.act('exec', id, 'setReleaseDates', { releaseDate: today, implementationDate: today });
      }
    } else if (at === 'publicity/running') {
      await this.act('exec', id, 'completePublicity', { reason });
    } else if (at === 'inForce/active') {
      if (randomInt(0, 4) === 0) await this.act('sh-eco', id, 'startReview', { reason });
    } else if (at === 'review/deciding') {
      await this.act('sh-eco', id, 'decideReview', { outcome: 'continue', reason });
    }
  }

  private async lifecycleLoop(lane: number): Promise<void> {
    let i = lane;
    let turn = 0;
    while (this.running) {
      // Lane 0 gives every other turn to the standards kept open for comment, so they open early in the run
      // on a slow machine too and the public's comments have most of the run to arrive.
      const forComment = lane === 0 && turn++ % 2 === 0 && this.commentTargets.length > 0;
      const id = forComment ? this.commentTargets[(turn >> 1) % this.commentTargets.length] : this.standards[i % this.standards.length];
      if (!forComment) i += 2;
      try {
        await this.advance(id);
      } catch (e) {
        if (!(e instanceof NoAnswer)) throw e;
        await sleep(300);
      }
      await sleep(100);
    }
  }

  // ---- pages ----------------------------------------------------------------------------------------

  private async pageLoop(): Promise<void> {
    while (this.running) {
      const username = ROLE_ACCOUNTS[randomInt(0, ROLE_ACCOUNTS.length)];
      const c = this.client(username);
      const id = this.standards[randomInt(0, this.standards.length)];
      try {
        switch (randomInt(0, 4)) {
          case 0: {
            const a = await c.request('GET', '/standards', undefined, 'text/html');
            if (a.status === 200 && c.displayName && !a.text.includes(`<strong>${c.displayName}</strong>`)) c.crossed('/standards page not signed in as this user');
            break;
          }
          case 1: {
            const a = await c.request('GET', `/standards/${id}`, undefined, 'text/html');
            if (a.status === 200 && (!a.text.includes(id) || (c.displayName && !a.text.includes(`<strong>${c.displayName}</strong>`)))) c.crossed(`/standards/${id} page shows another standard or user`);
            break;
          }
          case 2: {
            const a = await c.request<{ standard: { _id: string } }>('GET', `/api/standards/${id}`);
            if (a.status === 200 && a.body?.standard._id !== id) c.crossed(`/api/standards/${id} answered ${a.body?.standard._id}`);
            break;
          }
          default:
            await c.whoAmI();
        }
      } catch (e) {
        if (!(e instanceof NoAnswer)) throw e;
        await sleep(300);
      }
      await sleep(60);
    }
  }

  private async signInLoop(): Promise<void> {
    while (this.running) {
      await sleep(2000);
      const username = ROLE_ACCOUNTS[randomInt(0, ROLE_ACCOUNTS.length)];
      const c = this.client(username);
      try {
        await c.request('DELETE', '/api/session');
        await c.signIn();
      } catch (e) {
        if (!(e instanceof NoAnswer)) throw e;
      }
    }
  }

  // ---- public comments ------------------------------------------------------------------------------

  private async commentLoop(): Promise<void> {
    let n = 0;
    while (this.running) {
      await sleep(400);
      const id = this.commentTargets[n % this.commentTargets.length];
      n += 1;
      // A member of the public: an address and a contact of their own.
      const person = new SoakClient(this.opts.base, `public-${n}`, `10.78.${Math.floor(n / 250)}.${n % 250}`, this.opts.tally);
      try {
        const a = await person.request<{ receipt: string; created: boolean }>('POST', `/api/consultation/${id}/comments`, {
          submissionKey: `soak${randomBytes(8).toString('hex')}`,
          type: 'technical',
          comment: `建议第5章排放限值更严格（耐久性测试 ${n}）`,
          name: `测试者${n}`,
          province: 'SH',
          contact: `soak-${n}@example.org`,
        });
        if ((a.status === 201 || a.status === 200) && a.body?.receipt) {
          this.acked.comments.push({ standardId: id, receipt: a.body.receipt });
          const r = await person.request<{ receipt: string; standardId: string }>('GET', `/api/consultation/receipts/${a.body.receipt}`);
          if (r.status === 200 && (r.body?.receipt !== a.body.receipt || r.body.standardId !== id)) person.crossed(`receipt ${a.body.receipt} answered ${r.body?.receipt} of ${r.body?.standardId}`);
        }
      } catch (e) {
        if (!(e instanceof NoAnswer)) throw e;
      }
    }
  }

  // ---- co-editing -----------------------------------------------------------------------------------

  private async editLoop(standardId: string): Promise<void> {
    const docName = draftDocName(standardId);
    const acked = new Set<string>();
    this.acked.edits.set(docName, acked);
    const drafter = this.client('drafter-sh');
    let n = 0;
    while (this.running) {
      const base = this.opts.base();
      const socket = new BenchClient('ours', 0, docName, 'full', 'soak', {
        url: `${base.replace(/^http/, 'ws')}/collab/${encodeURIComponent(docName)}`,
        headers: { cookie: drafter.cookieHeader(), origin: base },
      });
      this.sockets.push(socket);
      const closed = socket.closed.then(() => 'closed' as const);
      const synced = await Promise.race([socket.synced.then(() => 'synced' as const), closed, sleep(10_000).then(() => 'timeout' as const)]);
      if (synced !== 'synced') {
        socket.close();
        if (synced === 'closed') await drafter.whoAmI().catch(() => undefined);
        await sleep(500);
        continue;
      }
      /** token → the keys written before it */
      const pending = new Map<number, string[]>();
      socket.onAck((token, status) => {
        for (const [t, keys] of pending) {
          if (t > token) continue;
          // Status 1: the socket was read-only (the draft is not editable yet): nothing was stored, nothing promised.
          if (status === 0) for (const k of keys) acked.add(k);
          pending.delete(t);
        }
      });
      let token = 0;
      const probe = socket.doc!.getMap('soakProbe');
      let open = true;
      void closed.then(() => (open = false));
      while (this.running && open) {
        const key = `${standardId}-${++n}`;
        probe.set(key, n);
        pending.set(++token, [key]);
        socket.barrier(token);
        await sleep(250);
      }
      socket.close();
      await sleep(300);
    }
  }
}
