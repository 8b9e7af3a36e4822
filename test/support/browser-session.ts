// Test helper: a browser-like session on a running Tongbiao server — the cookie and the CSRF token the
// JSON sign-in answers with — for tests that drive the whole runtime over fetch (forms, uploads, JSON).
// One place for the sign-in lines the extension tests each repeated.
import { DEMO_PASSWORD } from '../../server/auth/demo-accounts';

export interface BrowserSession {
  cookie: string;
  csrf: string;
}

/** Signs in as the demo account `username` at `baseUrl`; fails the test when the sign-in is refused. */
export async function signInBrowser(baseUrl: string, username: string): Promise<BrowserSession> {
  const res = await fetch(`${baseUrl}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
  expect(res.status).toBeLessThan(300);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie: res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '), csrf: csrfToken };
}
