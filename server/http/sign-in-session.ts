// Starting and ending a signed-in session: a new session id at sign-in (no fixation), a fresh CSRF token,
// and the whole session destroyed at sign-out.
import type { Request } from 'express';
import type { Principal } from '../../activities/data/users';
import { csrfTokenOf } from './csrf';

/** Regenerates the session for `user`; returns the new CSRF token. */
export async function startSession(req: Request, user: Principal): Promise<string> {
  await new Promise<void>((resolve, reject) => req.session.regenerate((e: unknown) => (e ? reject(e instanceof Error ? e : new Error(String(e))) : resolve())));
  req.session.userId = user.userId;
  req.user = user;
  const token = csrfTokenOf(req, true);
  await new Promise<void>((resolve, reject) => req.session.save((e: unknown) => (e ? reject(e instanceof Error ? e : new Error(String(e))) : resolve())));
  return token;
}

export async function endSession(req: Request): Promise<void> {
  if (!req.session) return;
  await new Promise<void>((resolve, reject) => req.session.destroy((e: unknown) => (e ? reject(e instanceof Error ? e : new Error(String(e))) : resolve())));
  delete req.user;
}
