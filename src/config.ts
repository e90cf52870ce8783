// The only module that reads the environment. Everything else receives a Config.
import { z } from 'zod'

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

const schema = z.object({
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
})

export interface Config {
  port: number
  host: string
  databaseUrl: string
  logLevel: (typeof LOG_LEVELS)[number]
  /** Base URL users reach the server at (behind a proxy); null: the address it listens on. */
  publicUrl: string | null
  tokenGraceHours: number
  /** Events waiting for a commit beyond which ingestion answers 429. */
  ingestMaxPendingEvents: number
  sqliteSynchronous: 'NORMAL' | 'FULL'
  /** Login and setup attempts per minute per client address. */
  loginRateLimit: number
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

/** Reads and validates configuration from `source` (process.env by default); lists every problem at once. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const input = Object.fromEntries(
    Object.keys(schema.shape).map((key) => [key, source[key] === '' ? undefined : source[key]]),
  )
  const parsed = schema.safeParse(input)
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`))
  }
  const env = parsed.data
  return {
    port: env.PORT,
    host: env.HOST,
    databaseUrl: env.DATABASE_URL,
    logLevel: env.LOG_LEVEL,
    publicUrl: env.PUBLIC_URL === undefined ? null : env.PUBLIC_URL.replace(/\/$/, ''),
    tokenGraceHours: env.TOKEN_GRACE_HOURS,
    ingestMaxPendingEvents: env.INGEST_MAX_PENDING_EVENTS,
    sqliteSynchronous: env.SQLITE_SYNCHRONOUS,
    loginRateLimit: env.LOGIN_RATE_LIMIT,
  }
}
