// The only module that reads the environment. Everything else receives a Config.
import { z } from 'zod'

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/**
 * Every setting, declared here only: its environment variable, validation and default (docs/operations.md
 * lists them), then the camelCase name the code reads it by. `Config` is what this schema outputs.
 */
const environment = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:|postgres(ql)?:\/\/)/, 'must start with sqlite: or postgres://')
    .default('sqlite:./data/tractionboard.db'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  PUBLIC_URL: z.url().optional(),
  TOKEN_GRACE_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 365)
    .default(24),
  INGEST_MAX_PENDING_EVENTS: z.coerce.number().int().min(1).default(100_000),
  SQLITE_SYNCHRONOUS: z.enum(['NORMAL', 'FULL']).default('NORMAL'),
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
  INGEST_RATE_LIMIT: z.coerce.number().int().min(0).default(0),
  BODY_LIMIT: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(1024 * 1024),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(1).default(72_000),
  MAX_CONNECTIONS: z.coerce.number().int().min(1).default(10_000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  TRUST_PROXY: z
    .string()
    .regex(
      /^(true|false|[\w.:/]+(\s*,\s*[\w.:/]+)*)$/,
      'must be true, false, or a comma-separated list of proxy addresses/CIDRs (or loopback, uniquelocal)',
    )
    .default('false'),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  SHARE_LINK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  HEAP_GROWTH_PERCENT: z.coerce.number().int().min(0).max(400).default(100),
  INGEST_PARSE_WORKERS: z.coerce.number().int().min(0).max(64).default(1),
  MAX_WORKSPACES_PER_ACCOUNT: z.coerce.number().int().min(1).default(100),
  LIVE_MAX_STREAMS: z.coerce.number().int().min(1).default(200),
  LIVE_STREAMS_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
  LIVE_STALL_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
})

/** false, true (the one proxy in front, whatever its address), or the addresses/CIDRs of the proxies. */
export type TrustProxy = boolean | string

function trustProxy(value: string): TrustProxy {
  if (value === 'true') return true
  if (value === 'false') return false
  return value
    .split(',')
    .map((part) => part.trim())
    .join(',')
}

const schema = environment.transform((env) => ({
  port: env.PORT,
  host: env.HOST,
  databaseUrl: env.DATABASE_URL,
  logLevel: env.LOG_LEVEL,
  /** Base URL users reach the server at (behind a proxy); null: the address it listens on. */
  publicUrl: env.PUBLIC_URL === undefined ? null : env.PUBLIC_URL.replace(/\/$/, ''),
  tokenGraceHours: env.TOKEN_GRACE_HOURS,
  /** Events waiting for a commit beyond which ingestion answers 429. */
  ingestMaxPendingEvents: env.INGEST_MAX_PENDING_EVENTS,
  sqliteSynchronous: env.SQLITE_SYNCHRONOUS,
  /** Login and setup attempts per minute per client address. */
  loginRateLimit: env.LOGIN_RATE_LIMIT,
  /** Ingestion requests per second per workspace (its Token IDs together); 0: no limit. */
  ingestRateLimit: env.INGEST_RATE_LIMIT,
  /** Largest request body outside the ingestion endpoints (whose limits are Segment's, src/ingest/limits.ts). */
  bodyLimit: env.BODY_LIMIT,
  /** Time a client has to send a whole request (headers and body); 0: no limit. */
  requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
  /** How long an idle keep-alive connection stays open. */
  keepAliveTimeoutMs: env.KEEP_ALIVE_TIMEOUT_MS,
  /** Connections open at once (all clients together); beyond, a new connection is closed as soon as it opens. */
  maxConnections: env.MAX_CONNECTIONS,
  /** Time allowed, on SIGTERM/SIGINT, to finish requests, commit and close before exiting with 1. */
  shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  trustProxy: trustProxy(env.TRUST_PROXY),
  /** When set, GET /metrics requires `Authorization: Bearer <metricsToken>`. */
  metricsToken: env.METRICS_TOKEN ?? null,
  /**
   * PostgreSQL: the secret share-link tokens are sealed under (so owners can copy a link again) and the
   * password cookie of a link is signed with, the same on every node; SQLite keeps a key file beside its file.
   */
  shareLinkSecret: env.SHARE_LINK_SECRET ?? null,
  /** How far V8 lets the heap grow past what survived the last full collection, in %; 0: V8's own choice. */
  heapGrowthPercent: env.HEAP_GROWTH_PERCENT,
  /** Worker threads that parse and prepare large batch bodies; 0: all on the event loop. */
  ingestParseWorkers: env.INGEST_PARSE_WORKERS,
  /** Workspaces one account may own; creating one more from the dashboard answers 409 too_many_workspaces. */
  maxWorkspacesPerAccount: env.MAX_WORKSPACES_PER_ACCOUNT,
  /** Live event streams (GET /api/v1/live) open at once in this process; beyond, 429 too_many_streams. */
  liveMaxStreams: env.LIVE_MAX_STREAMS,
  /** Live event streams one account (or one api_key) may hold open at once in this process. */
  liveMaxStreamsPerAccount: env.LIVE_STREAMS_PER_ACCOUNT,
  /** How long a live stream's client may leave its data unread before the server disconnects it. */
  liveStallTimeoutMs: env.LIVE_STALL_TIMEOUT_MS,
}))

/** The whole configuration, every setting present (defaults applied): what the server and the CLI receive. */
export type Config = z.output<typeof schema>

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

/** Reads and validates configuration from `source` (process.env by default); lists every problem at once. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const input = Object.fromEntries(
    Object.keys(environment.shape).map((key) => [key, source[key] === '' ? undefined : source[key]]),
  )
  const parsed = schema.safeParse(input)
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`))
  }
  return parsed.data
}
