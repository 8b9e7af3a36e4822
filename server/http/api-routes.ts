// The JSON API under /api. Every input is parsed by a schema from ./schemas before anything runs; every
// refusal is an AppError answered by the error middleware as `{code, message, message_zh, message_en}`.
import express, { type Router } from 'express';
import type { Db } from 'mongodb';
import { availableActions } from '../../workflows/permissions';
import type { Action } from '../../workflows/messages';
import type { LifecycleApi } from '../app-deps';
import { checkCredentials } from '../auth/sign-in';
import { listPublicityEvents } from '../../activities/data/publicity-events';
import { findDraftersOf, type Principal } from '../../activities/data/users';
import { csrfTokenOf } from './csrf';
import { buildOpenApiDocument } from './openapi';
import { notificationsApiPage, notificationsApiQuerySchema } from './notifications-view';
import { requireUser, userOf } from './principal';
import { actionParamsSchema, draftersBodySchema, listQuerySchema, proposeSchema, publicityEventBodySchema, signInSchema, standardParamsSchema } from './schemas';
import { actionSchemas, type AnyActionPayload } from '../../workflows/payloads';
import { endSession, startSession } from './sign-in-session';
import { addDrafters, contextOfState, performAction, proposeStandard, recordPublicityEvent } from './standard-operations';
import { listStandardPage, requireStandard } from './standards-read';
import { parseOrThrow } from './validate';

export interface ApiDeps {
  db: Db;
  lifecycle: LifecycleApi;
  signInLimiter: express.RequestHandler;
}

export function userView(u: Principal): { userId: string; username: string; displayName: string; displayNameEn?: string; grants: Principal['grants'] } {
  return { userId: u.userId, username: u.username, displayName: u.displayName, ...(u.displayNameEn ? { displayNameEn: u.displayNameEn } : {}), grants: u.grants };
}

export function createApiRouter(deps: ApiDeps): Router {
  const r = express.Router();
  const { db, lifecycle } = deps;
  const ops = { db, lifecycle };

  r.get('/openapi.json', (_req, res) => {
    res.json(buildOpenApiDocument());
  });

  r.post('/session', deps.signInLimiter, async (req, res) => {
    const body = parseOrThrow(signInSchema, req.body);
    const user = await checkCredentials(db, body.username, body.password);
    const csrfToken = await startSession(req, user);
    res.json({ user: userView(user), csrfToken });
  });

  r.delete('/session', async (req, res) => {
    await endSession(req);
    res.status(204).end();
  });

  r.get('/me', requireUser, (req, res) => {
    res.json({ user: userView(userOf(req)), csrfToken: csrfTokenOf(req) });
  });

  r.get('/notifications', requireUser, async (req, res) => {
    const q = parseOrThrow(notificationsApiQuerySchema, req.query, { zh: '查询参数', en: 'query' });
    res.json(await notificationsApiPage(db, userOf(req), q, req.lang));
  });

  r.post('/standards', requireUser, async (req, res) => {
    const body = parseOrThrow(proposeSchema, req.body);
    const record = await proposeStandard(ops, userOf(req), body);
    res.status(201).location(`/api/standards/${record._id}`).json(record);
  });

  r.get('/standards', requireUser, async (req, res) => {
    const q = parseOrThrow(listQuerySchema, req.query, { zh: '查询参数', en: 'query' });
    res.json(await listStandardPage(db, q));
  });

  r.get('/standards/:id', requireUser, async (req, res) => {
    const { id } = parseOrThrow(standardParamsSchema, req.params, { zh: '路径参数', en: 'path' });
    const standard = await requireStandard(db, id);
    const [drafters, state] = await Promise.all([findDraftersOf(db, id), lifecycle.state(id)]);
    res.json({
      standard,
      state,
      drafters: drafters.map((d) => ({ username: d.username, displayName: d.displayName })),
      // From the live state: the projection may trail the workflow by one transition.
      actions: availableActions(userOf(req).grants, contextOfState(standard, state)),
    });
  });

  r.get('/standards/:id/timeline', requireUser, async (req, res) => {
    const { id } = parseOrThrow(standardParamsSchema, req.params, { zh: '路径参数', en: 'path' });
    await requireStandard(db, id);
    res.json({ items: await lifecycle.timeline(id) });
  });

  r.get('/standards/:id/state', requireUser, async (req, res) => {
    const { id } = parseOrThrow(standardParamsSchema, req.params, { zh: '路径参数', en: 'path' });
    await requireStandard(db, id);
    res.json(await lifecycle.state(id));
  });

  r.post('/standards/:id/actions/:action', requireUser, async (req, res) => {
    const { id, action } = parseOrThrow(actionParamsSchema, req.params, { zh: '路径参数', en: 'path' });
    const payload = parseOrThrow(actionSchemas[action as Action], req.body) as AnyActionPayload;
    res.json(await performAction(ops, userOf(req), id, action, payload));
  });

  r.post('/standards/:id/drafters', requireUser, async (req, res) => {
    const { id } = parseOrThrow(standardParamsSchema, req.params, { zh: '路径参数', en: 'path' });
    const body = parseOrThrow(draftersBodySchema, req.body);
    const added = await addDrafters(ops, userOf(req), id, body.usernames);
    const drafters = await findDraftersOf(db, id);
    res.json({ standardId: id, added, drafters: drafters.map((d) => ({ username: d.username, displayName: d.displayName })) });
  });

  r.get('/standards/:id/publicity-events', requireUser, async (req, res) => {
    const { id } = parseOrThrow(standardParamsSchema, req.params, { zh: '路径参数', en: 'path' });
    await requireStandard(db, id);
    res.json({ items: await listPublicityEvents(db, id) });
  });

  r.post('/standards/:id/publicity-events', requireUser, async (req, res) => {
    const { id } = parseOrThrow(standardParamsSchema, req.params, { zh: '路径参数', en: 'path' });
    const body = parseOrThrow(publicityEventBodySchema, req.body);
    const out = await recordPublicityEvent(ops, userOf(req), id, body);
    res.status(201).json(out);
  });

  return r;
}
