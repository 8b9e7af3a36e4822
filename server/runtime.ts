// The composition root: connects MongoDB and Temporal, runs the lifecycle worker (activities from
// `createWorkerActivities`, with this process's collaboration server), builds the web app with its extensions
// (co-editing, public consultation, documents) and listens. `npm start`, the demo, the benchmarks and the
// end-to-end tests all start Tongbiao through here, so they run the same wiring.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Worker } from '@temporalio/worker';
import { createWorkerActivities } from '../activities/worker';
import { createReleaseActivities } from '../activities/docx/activities';
import { warmUpGenerator } from '../activities/docx/generate';
import type { LifecycleDurations } from '../workflows/messages';
import * as Y from 'yjs';
import { isEmptyYDoc, seedStandardUpdate, yDocToJSON } from '../editor/ydoc';
import { blockingSummary, checkDraft } from '../editor/checker';
import type { Action } from '../workflows/messages';
import { draftDocName } from '../workflows/domain';
import { createApp, type TongbiaoApp } from './app';
import type { LifecycleApi } from './app-deps';
import { createCollabServer } from './collab';
import type { CollabServer } from './collab/types';
import { createDraftAuthorizer } from './collab-access';
import { createSuggestGuard } from './collab/suggest-guard';
import { createCommentsRouter } from './comments';
import { documentsExtension, documentLinks } from './extensions/documents';
import { createGenerationJobs } from './files';
import { editorPageExtension } from './extensions/editor-page';
import { expertsExtension } from './extensions/experts';
import { technicalReviewExtension, technicalReviewLinks } from './extensions/technical-review';
import { createTechnicalReviewService, reviewRuleFromConfig } from './extensions/technical-review-service';
import { createImageResolver, imagesExtension } from './extensions/images';
import { versionsExtension } from './extensions/versions';
import { importExtension, proposalImportApplier } from './extensions/import';
import { startImportSweep } from '../activities/import/sweep';
import { startStandardsChangesSweep } from '../activities/data/standards-changes-sweep';
import { settlesWithin } from '../activities/infra/settles-within';
import { explanatoryNoteExtension } from './extensions/explanatory-note';
import { consultationMailingExtension } from './extensions/consultation-mailing';
import { watchExtension } from './extensions/watch';
import { draftThreadsExtension } from './extensions/draft-threads';
import type { Config } from './infra/config';
import { AppError } from '../activities/infra/errors';
import { createRootLogger, type Logger } from '../activities/infra/logger';
import { connectMongo, type Mongo, type UnacknowledgedWritePolicy } from '../activities/infra/mongo';
import { connectTemporal, createLifecycleService, createWorker, durationsFromConfig, ensureLifecycleIndexes, type LifecycleService, type TemporalConnection } from './temporal';
import { createReconciler } from './temporal/reconciler';
import { createAvailabilityMonitor, mongoCheck, unavailableOnUnreachable, type AvailabilityMonitor } from './infra/availability';
import { temporalCheck } from './temporal/connect';
import { bundleLifecycleWorkflows } from './temporal/worker';
import { superviseWorker, type WorkerSupervisor } from './temporal/worker-supervisor';
import { ensureMailSchedules } from './temporal/mail-schedules';
import { notificationSettingsExtension } from './extensions/notification-settings';
import { connectRedis } from './infra/redis';
import { clientAddressResolver } from './infra/client-address';

export interface RuntimeOptions {
  config: Config;
  /** Overrides the configured lifecycle durations (demo, tests, benchmarks). */
  durations?: LifecycleDurations;
  /** Run the lifecycle worker in this process (default true). */
  runWorker?: boolean;
  /** Sign-in attempts per window before 429; tests raise it. */
  signInRateLimit?: { windowMs: number; limit: number };
  /** The root logger; default one at the configured LOG_LEVEL. Every part gets a child of it. */
  logger?: Logger;
  /** What an unacknowledged (w: 0) write does: 'log' in production (default), 'throw' under tests. */
  onUnacknowledgedWrite?: UnacknowledgedWritePolicy;
  /** Where the workflow bundle is kept between starts (`npm start`: under the data dir); default rebuilt each start. */
  workflowBundleCacheDir?: string;
}

export interface Runtime {
  url: string;
  port: number;
  mongo: Mongo;
  temporal: TemporalConnection;
  lifecycle: LifecycleService;
  collab: CollabServer;
  app: TongbiaoApp;
  httpServer: http.Server;
  /** The lifecycle worker running now (re-created by `workerSupervisor` after Temporal was away). */
  worker?: Worker;
  workerSupervisor?: WorkerSupervisor;
  /** Whether the store and Temporal answer (503 gate, /readyz). */
  availability: AvailabilityMonitor;
  stop(): Promise<void>;
}

/** How long one shutdown step may take before stop() goes on without it (the worker's own grace is 15 s). */
const STOP_STEP_MS = 20_000;

/** Submissions that freeze a draft for others to read: refused while the draft breaks a blocking rule. */
const SUBMISSIONS_CHECKED: readonly Action[] = ['submitForComment', 'submitForApproval'];

/** Refuses (409) with the checker's summary and findings when the live draft has blocking findings. */
async function assertDraftFollowsRules(collab: CollabServer, standardId: string): Promise<void> {
  const findings = checkDraft(yDocToJSON(await collab.getDoc(draftDocName(standardId))));
  const summary = blockingSummary(findings);
  if (summary) throw new AppError('STAGE_CONFLICT', summary, { details: { findings: findings.filter((f) => f.severity === 'error') } });
}

/** True when the request carries no Origin (non-browser clients) or one whose host is the request's host. */
export function sameOrigin(req: http.IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export async function startRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const { config } = opts;
  const logger = opts.logger ?? createRootLogger(config.LOG_LEVEL);
  if (!config.MONGODB_URI) throw new Error('startRuntime needs MONGODB_URI (the launcher resolves it)');
  // Server selection bounded to 1.5 s: a request that reaches the store in the moment before the
  // availability monitor notices it is gone fails (503) quickly instead of waiting the default 10 s.
  const mongo = await connectMongo(config.MONGODB_URI, config.MONGODB_DB, {
    clientOptions: { serverSelectionTimeoutMS: 1500 },
    logger: logger.child({ module: 'mongo' }),
    ...(opts.onUnacknowledgedWrite ? { onUnacknowledgedWrite: opts.onUnacknowledgedWrite } : {}),
  });
  const cleanups: Array<() => Promise<void>> = [() => mongo.close()];
  // Each step is bounded: one hanging on a server that went away (a socket, a worker's shutdown) must not
  // hold the rest, nor a start that stops a half-started runtime to try again.
  const stopAll = async (): Promise<void> => {
    for (const [i, fn] of cleanups.reverse().entries()) {
      const done = await settlesWithin(
        fn().catch((err: unknown) => logger.error({ err }, 'shutdown step failed')),
        STOP_STEP_MS,
      );
      if (!done) logger.error({ step: cleanups.length - i, ms: STOP_STEP_MS }, 'shutdown step did not finish; going on');
    }
  };
  try {
    await ensureLifecycleIndexes(mongo.db);
    const temporal = await connectTemporal(config);
    cleanups.push(() => temporal.close());
    const availability = createAvailabilityMonitor({ checks: [mongoCheck(config.MONGODB_URI, mongo.client), temporalCheck(config)], logger: logger.child({ module: 'availability' }) });
    cleanups.push(() => availability.stop());
    // Several processes behind one address (REDIS_URL): co-editing relay and shared rate limits.
    const redis = config.REDIS_URL ? connectRedis(config.REDIS_URL, logger.child({ module: 'redis' })) : undefined;
    if (redis) cleanups.push(() => redis.close());
    const durations = opts.durations ?? durationsFromConfig(config);
    // Keeps the projection true to the workflows (server/temporal/reconciler.ts): repairs what a read finds
    // off here; where the worker runs, also a start-up pass and a schedule.
    const reconciler = createReconciler({ client: temporal.client, db: mongo.db, logger: logger.child({ module: 'reconciler' }) });
    cleanups.push(() => reconciler.stop());
    const lifecycle = createLifecycleService({ client: temporal.client, db: mongo.db, taskQueue: config.TEMPORAL_TASK_QUEUE, durations, onProjectionMismatch: reconciler.noteMismatch, logger: logger.child({ module: 'lifecycle-service' }), reviewRule: reviewRuleFromConfig(config) });

    // The collaboration server needs the session layer (for authentication) and the app needs the
    // collaboration server (for links); the late binding below breaks the cycle.
    let authenticate: TongbiaoApp['authenticateRequest'] = async () => null;
    // Experts and bureaus write suggestions only: their updates are checked before they are applied (issue 15).
    const suggestGuard = createSuggestGuard(mongo.db, logger.child({ module: 'collab-suggest' }));
    const collab = createCollabServer({
      db: mongo.db,
      logger: logger.child({ module: 'collab' }),
      // A browser always sends Origin on a WebSocket upgrade: refuse pages of other sites outright
      // (cross-site WebSocket hijacking), whatever the cookie policy of the browser.
      authenticate: (req) => (sameOrigin(req) ? authenticate(req) : null),
      authorize: suggestGuard.authorize(createDraftAuthorizer(mongo.db)),
      updateGuard: suggestGuard.allowUpdate,
      ...(redis ? { relay: redis.relay } : {}),
      // Behind a trusted proxy (start:cluster's, or TRUST_PROXY) connection limits count the forwarded client.
      clientAddress: clientAddressResolver(config.TRUST_PROXY),
    });
    cleanups.push(() => collab.close());

    const releaseActivities = createReleaseActivities({ db: mongo.db, resolveImage: createImageResolver(mongo.db, logger.child({ module: 'images' })), logger: logger.child({ module: 'docx-activities' }) });
    // Links in notification e-mail: PUBLIC_URL, else the address this server listens on (known after listen).
    let listenUrl = '';
    const mail = { smtpUrl: config.SMTP_URL, baseUrl: () => config.PUBLIC_URL ?? listenUrl };
    const workerActivities = createWorkerActivities({ db: mongo.db, logger: logger.child({ module: 'activities' }), collab, release: releaseActivities, mail });

    let workerSupervisor: WorkerSupervisor | undefined;
    if (opts.runWorker ?? true) {
      // Bundled once: the supervisor re-creates the worker after Temporal was away, without re-bundling.
      const workflowBundle = await bundleLifecycleWorkflows(undefined, opts.workflowBundleCacheDir ? { dir: opts.workflowBundleCacheDir, logger: logger.child({ module: 'workflow-bundle' }) } : undefined);
      workerSupervisor = await superviseWorker({
        connect: () => temporal.openNativeConnection(),
        logger: logger.child({ module: 'worker-supervisor' }),
        create: (connection) => createWorker({
          connection,
          workflowBundle,
          namespace: config.TEMPORAL_NAMESPACE,
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          activities: workerActivities,
          maxCachedWorkflows: config.TEMPORAL_MAX_CACHED_WORKFLOWS,
          logger: logger.child({ module: 'worker' }),
        }),
      });
      // The first DOCX generation in a process compiles the docx library; do it now rather than inside
      // the first release (twice as slow cold as warm).
      void warmUpGenerator().then(
        (ms) => logger.info({ ms: Math.round(ms) }, 'DOCX generator warmed up'),
        (err: unknown) => logger.error({ err }, 'DOCX generator warm-up failed'),
      );
      const supervisor = workerSupervisor;
      cleanups.push(() => supervisor.stop());
      reconciler.start();
      // Durable schedules of notification e-mail (daily digest, immediate mail).
      await ensureMailSchedules(temporal.client, config.TEMPORAL_TASK_QUEUE, logger.child({ module: 'mail-schedules' }));
    }

    // A new standard's draft starts as the GB/T 1.1 skeleton, so versions frozen before anyone opened the
    // editor still hold a well-formed document. The seed is deterministic: browsers that seed the same
    // skeleton add nothing twice.
    const applyProposalWord = proposalImportApplier({ db: mongo.db, collab, logger: logger.child({ module: 'import' }) });
    const lifecycleApi: LifecycleApi = {
      ...lifecycle,
      act: async (standardId, action, payload, actor) => {
        if (SUBMISSIONS_CHECKED.includes(action)) await assertDraftFollowsRules(collab, standardId);
        const state = await lifecycle.act(standardId, action, payload, actor);
        // A Word draft uploaded with the proposal becomes the draft when drafting starts (issue 14).
        if (action === 'decideInitiation' && state.stage === 'drafting') await applyProposalWord(standardId);
        return state;
      },
      propose: async (input, actor) => {
        const record = await lifecycle.propose(input, actor);
        const docName = draftDocName(record._id);
        const doc = await collab.getDoc(docName);
        if (isEmptyYDoc(doc)) Y.applyUpdate(doc, seedStandardUpdate());
        await collab.flush(docName);
        return record;
      },
    };
    // Owned here so that stop() ends its sweep timer: a stopped runtime must not keep querying a closed client.
    const documentsLogger = logger.child({ module: 'documents' });
    const generationJobs = createGenerationJobs({ db: mongo.db, logger: documentsLogger });
    cleanups.push(async () => generationJobs.close());
    // Expired Word import uploads and the pictures their previews stored, swept every ten minutes (issue 14).
    const importSweep = startImportSweep({ db: mongo.db, logger: logger.child({ module: 'import' }) });
    cleanups.push(async () => importSweep.stop());
    // The list view's change log pruned every ten minutes, and the view warmed at start (issue 11).
    const changesSweep = startStandardsChangesSweep({ db: mongo.db, logger: logger.child({ module: 'standards' }) });
    cleanups.push(async () => changesSweep.stop());
    const app = await createApp({
      config,
      db: mongo.db,
      lifecycle: lifecycleApi,
      // /readyz lists Redis (REDIS_URL) beside the store and Temporal.
      availability: redis ? redis.reportIn(availability) : availability,
      logger: logger.child({ module: 'http' }),
      ...(opts.signInRateLimit ? { signInRateLimit: opts.signInRateLimit } : {}),
      ...(redis ? { rateLimitStores: redis.rateLimitStores } : {}),
      standardLinks: (s) => [...documentLinks(s), ...technicalReviewLinks(s)],
      extensions: [
        // First: the core routes' errors reach it before the comments router's own error handler (which
        // takes every error passing through it). A dependency lost mid-request is then a 503, not a 500.
        ({ app: express }) => {
          express.use(unavailableOnUnreachable());
        },
        ({ app: express }) => {
          express.use(createCommentsRouter({ db: mongo.db, publicUrl: config.PUBLIC_URL, delivery: { smtpUrl: config.SMTP_URL }, logger: logger.child({ module: 'comments' }), ...(redis ? { rateLimitStores: redis.rateLimitStores } : {}) }));
        },
        editorPageExtension({ db: mongo.db }),
        documentsExtension({ db: mongo.db, logger: documentsLogger, jobs: generationJobs }),
        versionsExtension({ db: mongo.db, collab }),
        importExtension({ db: mongo.db, collab }),
        explanatoryNoteExtension({ db: mongo.db, release: releaseActivities }),
        expertsExtension({ db: mongo.db }),
        technicalReviewExtension({ db: mongo.db, reviews: createTechnicalReviewService({ client: temporal.client, db: mongo.db }) }),
        consultationMailingExtension({ db: mongo.db }),
        imagesExtension({ db: mongo.db, logger: logger.child({ module: 'images' }) }),
        watchExtension({ db: mongo.db }),
        notificationSettingsExtension({ db: mongo.db }),
        draftThreadsExtension({ db: mongo.db, logger: logger.child({ module: 'draft-threads' }), collab }),
      ],
    });
    authenticate = app.authenticateRequest;
    cleanups.push(() => app.close());

    const httpServer = http.createServer(app.app);
    httpServer.on('upgrade', (req, socket, head) => {
      if (!collab.handleUpgrade(req, socket, head)) socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.PORT, config.HOST, () => resolve());
    });
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          httpServer.close(() => resolve());
          httpServer.closeAllConnections();
        }),
    );
    const port = (httpServer.address() as AddressInfo).port;
    const url = config.PUBLIC_URL ?? `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`;
    listenUrl = url;
    return {
      url, port, mongo, temporal, lifecycle, collab, app, httpServer, workerSupervisor, availability, stop: stopAll,
      get worker() {
        return workerSupervisor?.current();
      },
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
