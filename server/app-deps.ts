// What the web server needs from the rest of Tongbiao, as types. `createApp` takes these; tests pass the
// real lifecycle service (server/temporal) and a real database.
import type { Db } from 'mongodb';
import type { Express, RequestHandler } from 'express';
import type { Environment } from 'nunjucks';
import type { AvailabilityMonitor } from './infra/availability';
import type { Config } from './infra/config';
import type { Logger } from '../activities/infra/logger';
import type { Actor, StandardRecord } from '../workflows/domain';
import type { Action, LifecycleState } from '../workflows/messages';
import type { AuditEntry } from '../activities/data/audit';
import type { ProposeBody } from './http/schemas';
import type { RateLimitStoreFactory } from './http/rate-limit-store';
import type { AnyActionPayload } from '../workflows/payloads';

/** What a proposal carries into the lifecycle: the validated form (the lead province is the proposer's). */
export type ProposeInput = Omit<ProposeBody, 'drafterUsernames'>;

/**
 * The lifecycle service (server/temporal). Errors are AppErrors: 403 (role), 404 (unknown standard),
 * 409 (stage, duplicate number).
 */
export interface LifecycleApi {
  /** Stores the record and starts the standard's lifecycle workflow. */
  propose(input: ProposeInput, actor: Actor): Promise<StandardRecord>;
  /** Sends the action's Update (with `actor` added) and returns the new state. */
  act(standardId: string, action: Action, payload: AnyActionPayload, actor: Actor): Promise<LifecycleState>;
  /** The workflow's current state (a query). */
  state(standardId: string): Promise<LifecycleState>;
  /** The audit log of the standard, oldest first. */
  timeline(standardId: string): Promise<AuditEntry[]>;
}

/** A link shown in the "draft and documents" area of a standard's page. */
export interface StandardLink {
  href: string;
  zh: string;
  en: string;
}

/** Helpers handed to extensions mounted by the lead (collab, comments, documents). */
export interface AppExtensionContext {
  app: Express;
  /** Requires a signed-in user (401 JSON for /api, redirect to sign-in for pages); sets `req.user`. */
  requireUser: RequestHandler;
  /** The nunjucks environment (templates/), so extensions render pages with `layout.njk`. */
  views: Environment;
}

export interface AppDeps {
  config: Config;
  db: Db;
  lifecycle: LifecycleApi;
  /** Whether the store and Temporal answer: 503 at once while one is away, /readyz. Without it, /readyz
   *  always answers ready and nothing is gated (tests of single routes). */
  availability?: AvailabilityMonitor;
  logger: Logger;
  /** Sign-in attempts allowed per client address and window before 429 (failed attempts only). */
  signInRateLimit?: { windowMs: number; limit: number };
  /** Where rate limits count (Redis when REDIS_URL is set: shared by every process); default memory. */
  rateLimitStores?: RateLimitStoreFactory;
  /** Extra links on a standard's page (the draft editor, the documents); default none. */
  standardLinks?: (standard: StandardRecord) => StandardLink[];
  /** Routes of other parts, mounted after the core routes and before the 404 handler. */
  extensions?: Array<(ctx: AppExtensionContext) => void>;
}
