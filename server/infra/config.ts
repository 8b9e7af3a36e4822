// Configuration from the environment, validated once at start-up. A bad value stops the process with a
// message naming the variable, in Chinese and English, instead of failing later in some handler.
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../activities/infra/errors';

const port = z.coerce.number().int().min(0).max(65535);
const optionalString = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

export const configSchema = z.object({
  /** Where embedded servers keep their data (SQLite files) and where the session secret lives. */
  TONGBIAO_DATA_DIR: z.string().default(path.resolve(process.cwd(), '.data')),
  /** Where the project installs the Temporal CLI and FerretDB. */
  TONGBIAO_TOOLS_DIR: z.string().default(path.resolve(__dirname, '..', '..', '.tools')),
  HOST: z.string().default('127.0.0.1'),
  /** Express `trust proxy` behind a reverse proxy: `loopback`, a hop count or a list of addresses; unset
   *  trusts nothing (rate limits then count the client's own address). */
  TRUST_PROXY: optionalString,
  PORT: port.default(3000),
  /** Public base URL printed at start-up and used in links sent to commenters. */
  PUBLIC_URL: optionalString,
  /** When set, Tongbiao starts no Temporal server and connects here (host:port). */
  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('tongbiao-lifecycle'),
  /** mTLS for a real cluster: paths to PEM files. Both cert and key, or neither. */
  TEMPORAL_TLS_CERT: optionalString,
  TEMPORAL_TLS_KEY: optionalString,
  TEMPORAL_TLS_CA: optionalString,
  TEMPORAL_TLS_SERVER_NAME: optionalString,
  /** Temporal Cloud API key; implies TLS. */
  TEMPORAL_API_KEY: optionalString,
  /** Ports of the embedded servers when they are started by Tongbiao. */
  EMBEDDED_TEMPORAL_PORT: port.default(7233),
  EMBEDDED_MONGO_PORT: port.default(27018),
  /** When set, Tongbiao starts no FerretDB and uses this MongoDB (or FerretDB) URI. */
  MONGODB_URI: optionalString,
  MONGODB_DB: z.string().regex(/^[A-Za-z0-9_-]{1,60}$/, 'letters, digits, _ and - only').default('tongbiao'),
  /** Redis for several app processes behind one address (co-editing relay, shared rate limits); unset = one
   *  process on its own (npm start). `npm run start:cluster` starts an embedded one when unset. */
  REDIS_URL: z
    .string()
    .trim()
    .transform((s) => (s === '' ? undefined : s))
    .refine((s) => s === undefined || /^rediss?:\/\//.test(s), 'a redis:// or rediss:// URL')
    .optional(),
  /** Secret for signing session cookies; generated and kept in the data directory when unset. */
  SESSION_SECRET: optionalString,
  /** SMTP for outcome notices to commenters; the outbox is kept in MongoDB either way. */
  SMTP_URL: optionalString,
  /** How often expired sessions are deleted (an acknowledged delete of our own; FerretDB has no TTL indexes). */
  SESSION_SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(5).max(86_400).default(600),
  /**
   * Lifecycle durations in days (fractions allowed, so a demo can run in seconds: 0.0001 d ≈ 8.6 s).
   * Defaults: 征求意见 30 days, reminders every 7 days, 备案 reminder 60 days after release, 复审 due
   * 5 years (1825 days) after the standard comes into force. Shorter comment periods are for demos and tests.
   */
  COMMENT_PERIOD_DAYS: z.coerce.number().positive().default(30),
  REMINDER_INTERVAL_DAYS: z.coerce.number().positive().default(7),
  FILING_REMINDER_DAYS: z.coerce.number().positive().default(60),
  REVIEW_INTERVAL_DAYS: z.coerce.number().positive().max(1826, 'at most 5 years').default(1825),
  /** The technical review's rule (技术审查): smallest panel, experts needed from each province, share of the panel
   *  voting 通过 or 修改后通过 for the review to pass. */
  REVIEW_PANEL_MIN: z.coerce.number().int().min(1).max(50).default(5),
  REVIEW_PANEL_PER_PROVINCE: z.coerce.number().int().min(0).max(10).default(1),
  REVIEW_PASS_SHARE: z.coerce.number().gt(0).max(1).default(0.75),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * How far the app's JavaScript heap may grow past what the last full garbage collection left before the next
   * one, in percent (V8's `--heap-growing-percent`, applied by `npm start`, ./heap-growth.ts). 0 leaves it to V8,
   * which on a machine with a few GiB lets the heap reach about four times its live size: a 50,000-comment export
   * took the app from 400 MB to 680 MB of garbage not yet collected. 50 held it near 420 MB (bench/README.md).
   * Applied at start only (a change needs a restart).
   */
  HEAP_GROWTH_PERCENT: z.coerce.number().int().min(0).max(400).default(50),
  /**
   * Lifecycles the Temporal worker keeps in memory between their workflow tasks (its sticky cache, in the workflow
   * thread's V8 heap); one not kept is replayed from its history when its next task comes. The SDK's default grows
   * with the heap limit (≈ 2,300 here), i.e. every lifecycle of the zone's ten years, most of them asleep until a
   * 复审 timer; a cached workflow holds ≈ 0.4 MB or more (bench/README.md). 250 covers the standards in work at the
   * same time with room to spare.
   */
  TEMPORAL_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(2, 'at least 2').max(10_000).default(250),
}).refine((c) => Boolean(c.TEMPORAL_TLS_CERT) === Boolean(c.TEMPORAL_TLS_KEY), {
  message: 'TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together',
  path: ['TEMPORAL_TLS_CERT'],
});

export type Config = z.infer<typeof configSchema>;

/** Reads and validates the configuration; throws `AppError('CONFIG_INVALID')` listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new AppError(
      'CONFIG_INVALID',
      { zh: `配置无效：${lines.join('；')}`, en: `Invalid configuration: ${lines.join('; ')}` },
      { details: parsed.error.issues },
    );
  }
  return parsed.data;
}
