// createCommentsRouter: the public consultation (pages and JSON API), the staff triage and disposition
// pages and API, and the notice outbox, as one Express router the app mounts (server/runtime.ts). It runs
// inside the app: the app's body parsers, sessions, CSRF protection and error middleware apply to it. It
// limits submissions per client address and per contact.
// Its pages render through the app's one views environment (comments/views.ts → res.render).
import { randomBytes } from 'node:crypto';
import express, { type Request, type RequestHandler, type Router } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { RateLimitStoreFactory } from '../http/rate-limit-store';
import type { Db } from 'mongodb';
import type { NoticeDelivery } from '../../activities/comments/notices';
import { AppError } from '../../activities/infra/errors';
import { createLogger, type Logger } from '../../activities/infra/logger';
import { resolveAnchor, type DraftSnapshot } from '../../editor/anchors';
import { YJS_FRAGMENT } from '../../editor/ydoc';
import { clausesOf } from '../../editor/clauses';
import { createVersionDraftSource, type DraftSource } from './drafts';
import type { RouterContext } from './context';
import { createPublicRoutes } from './public-routes';
import { createConsultationFiles } from './public-downloads';
import { createVersionChoices } from './version-choices';
import { createStandardsReader, type ConsultationStandard, type StandardsReader } from '../../activities/data/consultation-standards';
import { createStaffRoutes } from './staff-routes';
import { createCommentsStore, type CommentsStore } from '../../activities/comments/store';
import { retryingReady } from '../infra/retrying-ready';

export interface RateLimitWindow {
  windowMs: number;
  limit: number;
}

export interface CommentsDeps {
  db: Db;
  /**
   * The frozen 征求意见稿 of a standard (or the proposal text at 立项): ProseMirror JSON, with the Yjs state
   * of that version when available (for passage anchors). Default: the latest `draftForComment` version.
   */
  getCommentDraft?: (standardId: string) => Promise<DraftSnapshot | null>;
  /**
   * The current text, to show where comments stand now. Default: the latest version of any kind (or
   * getCommentDraft when that is injected).
   */
  getCurrentDraft?: (standardId: string) => Promise<DraftSnapshot | null>;
  /** The lifecycle projection; default reads the `standards` collection. */
  standards?: StandardsReader;
  /** Clock; tests move it to the deadline. */
  now?: () => Date;
  /** Prefix the router is mounted under; '' by default. */
  basePath?: string;
  /** Where the app serves public/; default '/static'. */
  assetBase?: string;
  /** Public base URL for links in notices (PUBLIC_URL). */
  publicUrl?: string;
  /** Submissions per client address and per contact. Defaults: 30 per 10 min per address, 10 per hour per contact. */
  rateLimits?: { perAddress?: RateLimitWindow; perContact?: RateLimitWindow };
  /** Where the limits count (one store per limiter); default each process's memory. */
  rateLimitStores?: RateLimitStoreFactory;
  /** Outcome notices: SMTP_URL, or a nodemailer transport; none = outbox only. */
  delivery?: NoticeDelivery;
  /**
   * How long a standard's projection is cached, in ms (default 1000). The deadline itself is compared on
   * every request; only a change of stage or an extension can be seen up to this late.
   */
  standardCacheMs?: number;
  /** How long the frozen and current drafts are cached, in ms (default 5000; tests pass 0). */
  draftCacheMs?: number;
  /** Salt for hashing client addresses; random per process by default. */
  addressSalt?: string;
  /** Y.XmlFragment name of the draft; default 'prosemirror'. */
  fragment?: string;
  /** Default: a child of the fallback root logger. */
  logger?: Logger;
}

export const DEFAULT_RATE_LIMITS = {
  perAddress: { windowMs: 10 * 60 * 1000, limit: 30 },
  perContact: { windowMs: 60 * 60 * 1000, limit: 10 },
} as const;

function rateLimited(what: { zh: string; en: string }, windowMs: number): AppError {
  const minutes = Math.ceil(windowMs / 60000);
  return new AppError('RATE_LIMITED', { zh: `${what.zh}提交过于频繁，请 ${minutes} 分钟后再试`, en: `Too many submissions ${what.en}; try again in ${minutes} minutes` });
}

const isSubmission = (req: Request): boolean => req.method === 'POST' && (/^\/consultation\/[^/]+\/comment$/.test(req.path) || /^\/api\/consultation\/[^/]+\/comments$/.test(req.path));

function contactKey(req: Request): string {
  const body = req.body as Record<string, unknown> | undefined;
  const c = typeof body?.contact === 'string' ? body.contact.trim().toLowerCase() : '';
  return c;
}

function memo<T>(ttlMs: number, load: (key: string) => Promise<T>): (key: string) => Promise<T> {
  if (ttlMs <= 0) return load;
  const cache = new Map<string, { at: number; value: Promise<T> }>();
  return (key) => {
    const hit = cache.get(key);
    const now = Date.now();
    if (hit && now - hit.at < ttlMs) return hit.value;
    const value = load(key);
    cache.set(key, { at: now, value });
    value.catch(() => cache.delete(key));
    if (cache.size > 1000) cache.clear();
    return value;
  };
}

/** The comment store of `db` with its indexes; call once at start-up (the router does it too). */
export async function prepareCommentsStore(db: Db): Promise<CommentsStore> {
  const store = createCommentsStore(db);
  await store.ensureIndexes();
  return store;
}

export function createCommentsRouter(deps: CommentsDeps): Router {
  const log = deps.logger ?? createLogger('comments');
  const store = createCommentsStore(deps.db);
  // Awaited by every request; a failure (the store away during the start) is tried again by the next one.
  const whenReady = retryingReady(() => store.ensureIndexes(), (err) => log.error({ err }, 'comment indexes not created; trying again with the next request'));
  const standards = deps.standards ?? createStandardsReader(deps.db);
  const now = deps.now ?? (() => new Date());
  // Without injected sources the text comes from the named versions (activities/versions).
  const versionsSource = deps.getCommentDraft ? null : createVersionDraftSource(deps.db);
  // The frozen draft does not change during a consultation: look it up at most every few seconds.
  const draftCacheMs = deps.draftCacheMs ?? 5000;
  const getCommentDraft = memo(draftCacheMs, deps.getCommentDraft ?? (versionsSource as DraftSource).getCommentDraft);
  const getCurrentDraft = deps.getCurrentDraft ?? (versionsSource ? memo(draftCacheMs, versionsSource.getCurrentDraft) : getCommentDraft);
  const getStandard: (id: string) => Promise<ConsultationStandard | null> = memo(deps.standardCacheMs ?? 1000, (id) => standards.get(id));
  const fragment = deps.fragment ?? YJS_FRAGMENT;
  const limits = { ...DEFAULT_RATE_LIMITS, ...deps.rateLimits };

  // With a shared store (Redis) the same limits hold whatever the number of processes.
  const limitByAddress: RequestHandler = rateLimit({
    ...(deps.rateLimitStores ? { store: deps.rateLimitStores('comments:address:'), passOnStoreError: true } : {}),
    windowMs: limits.perAddress.windowMs,
    limit: limits.perAddress.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skip: (req) => !isSubmission(req),
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
    handler: (_req, _res, next) => next(rateLimited({ zh: '同一网络地址', en: 'from this address' }, limits.perAddress.windowMs)),
  });
  const limitByContact: RequestHandler = rateLimit({
    ...(deps.rateLimitStores ? { store: deps.rateLimitStores('comments:contact:'), passOnStoreError: true } : {}),
    windowMs: limits.perContact.windowMs,
    limit: limits.perContact.limit,
    standardHeaders: false,
    legacyHeaders: false,
    skip: (req) => contactKey(req) === '',
    keyGenerator: (req) => `contact:${contactKey(req)}`,
    handler: (_req, _res, next) => next(rateLimited({ zh: '同一联系方式', en: 'with this contact' }, limits.perContact.windowMs)),
  });

  const ctx: RouterContext = {
    basePath: deps.basePath ?? '',
    assetBase: deps.assetBase ?? '/static',
    store,
    standards,
    getStandard,
    getCommentDraft,
    getCurrentDraft,
    now,
    intake: { store, getStandard, getCommentDraft, now, addressSalt: deps.addressSalt ?? randomBytes(16).toString('hex'), fragment },
    limitByContact,
    resolve: (anchor, version) => resolveAnchor(anchor, version, clausesOf(version.json), fragment),
    delivery: { logger: log, ...deps.delivery },
    files: createConsultationFiles(deps.db),
    versions: createVersionChoices(deps.db),
    publicUrl: (deps.publicUrl ?? '').replace(/\/$/, ''),
    log,
  };

  const router = express.Router();
  router.use(async (_req, _res, next) => {
    await whenReady();
    next();
  });
  router.use(limitByAddress);
  router.use(createPublicRoutes(ctx));
  router.use(createStaffRoutes(ctx));
  return router;
}
