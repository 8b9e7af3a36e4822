// The soak's HTTP client: one cookie jar and CSRF token per simulated person, a client address of its own
// (X-Forwarded-For; the soak runs the app with TRUST_PROXY=loopback, as behind a reverse proxy, so rate
// limits count per person and not for the whole soak), and every answer recorded in the shared tally:
// 5xx other than the designed 503, connection failures while the app is down, and crossed replies (an
// answer that belongs to another request: another user, another standard, another receipt).
import { DEMO_PASSWORD } from '../../server/auth/demo-accounts';

export interface Tally {
  requests: number;
  ok: number;
  /** 5xx answers other than 503, with a sample of each. */
  errors5xx: number;
  unavailable503: number;
  /** No answer at all (the app was down or restarting). */
  connectionFailures: number;
  crossedReplies: number;
  samples: string[];
}

export function newTally(): Tally {
  return { requests: 0, ok: 0, errors5xx: 0, unavailable503: 0, connectionFailures: 0, crossedReplies: 0, samples: [] };
}

export interface Answer<T = unknown> {
  status: number;
  body: T | undefined;
  text: string;
}

/** Raised when there was no answer (refused, reset, timed out): the request may or may not have taken effect. */
export class NoAnswer extends Error {}

const REQUEST_TIMEOUT_MS = 20_000;

export class SoakClient {
  private cookies = new Map<string, string>();
  private csrf = '';
  userId = '';
  displayName = '';

  constructor(
    private readonly base: () => string,
    readonly username: string,
    private readonly address: string,
    private readonly tally: Tally,
  ) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  note(line: string): void {
    if (this.tally.samples.length < 40) this.tally.samples.push(line);
  }

  /** Records a crossed reply: the answer did not belong to this request. */
  crossed(what: string): void {
    this.tally.crossedReplies += 1;
    this.note(`CROSSED ${this.username}: ${what}`);
  }

  async request<T>(method: string, path: string, body?: unknown, accept = 'application/json'): Promise<Answer<T>> {
    const headers: Record<string, string> = { accept, 'x-forwarded-for': this.address };
    if (this.cookies.size) headers.cookie = this.cookieHeader();
    if (this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    this.tally.requests += 1;
    let res: Response;
    let text: string;
    try {
      res = await fetch(this.base() + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: 'manual',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      text = await res.text();
    } catch (e) {
      this.tally.connectionFailures += 1;
      throw new NoAnswer(`${method} ${path}: ${(e as Error).message}`);
    }
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
    if (res.status === 503) this.tally.unavailable503 += 1;
    else if (res.status >= 500) {
      this.tally.errors5xx += 1;
      this.note(`${res.status} ${this.username} ${method} ${path}: ${text.slice(0, 300)}`);
    } else if (res.status < 400) this.tally.ok += 1;
    let parsed: T | undefined;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) {
      try {
        parsed = JSON.parse(text) as T;
      } catch {
        parsed = undefined;
      }
    }
    return { status: res.status, body: parsed, text };
  }

  /** Signs in; true when signed in. */
  async signIn(): Promise<boolean> {
    this.cookies.clear();
    const a = await this.request<{ user: { id?: string; _id?: string; userId?: string; username: string; displayName: string }; csrfToken: string }>('POST', '/api/session', {
      username: this.username,
      password: DEMO_PASSWORD,
    });
    if (a.status !== 200 || !a.body) return false;
    if (a.body.user.username !== this.username) {
      this.crossed(`sign-in answered for ${a.body.user.username}`);
      return false;
    }
    this.csrf = a.body.csrfToken;
    this.displayName = a.body.user.displayName;
    return true;
  }

  /** Who the server thinks this session is; checks it is this person. Signs in again when the session is gone. */
  async whoAmI(): Promise<void> {
    const a = await this.request<{ user: { username: string }; csrfToken: string }>('GET', '/api/me');
    if (a.status === 401) {
      await this.signIn();
      return;
    }
    if (a.status === 200 && a.body) {
      if (a.body.user.username !== this.username) this.crossed(`/api/me answered ${a.body.user.username}`);
      else this.csrf = a.body.csrfToken;
    }
  }
}
