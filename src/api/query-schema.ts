// Query string parameters shared by several routes, as zod schemas that both document them (the OpenAPI
// document) and validate them (src/api/openapi.ts runs them before the handler). Each value arrives as a
// string, or as an array when repeated (?a=1&a=2); an empty value counts as absent. The messages name the
// parameter and the value given: a 400 `invalid_parameter` carries the first problem (see firstProblem()).
import { z } from 'zod'
import { TbError } from '../errors.js'
import { formatDay, localDay, parseDay, type Interval } from '../model/calendar.js'
import { METRIC_KEYS, type MetricKey } from '../metrics/keys.js'
import type { RangeQuery } from '../metrics/query.js'

const INTERVALS = ['day', 'week', 'month'] as const satisfies readonly Interval[]

/** An optional parameter given at most once: a string, documented by `meta`, failing with `message(value)`. */
function single(meta: Record<string, unknown>, message: (value: unknown) => string) {
  return z
    .string({ error: (issue) => message(issue.input) })
    .meta(meta)
    .optional()
}

/** A day, YYYY-MM-DD, as a day number (src/model/calendar.ts); absent or empty: undefined. */
export function dayParam(name: string, description: string) {
  const message = (value: unknown) => `"${name}" must be a date YYYY-MM-DD, got ${JSON.stringify(value)}`
  return single({ format: 'date', description }, message).transform((value, ctx) => {
    if (value === undefined || value === '') return undefined
    const day = parseDay(value)
    if (day === null) {
      ctx.addIssue({ code: 'custom', message: message(value), input: value })
      return z.NEVER
    }
    return day
  })
}

/** interval=day|week|month, `fallback` when absent or empty. */
export function intervalParam(fallback: Interval) {
  const message = (value: unknown) =>
    `"interval" must be one of ${INTERVALS.join(', ')}, got ${JSON.stringify(value)}`
  return single(
    { enum: INTERVALS, description: `Period of the series (default ${fallback})` },
    message,
  ).transform((value, ctx): Interval => {
    if (value === undefined || value === '') return fallback
    if (!(INTERVALS as readonly string[]).includes(value)) {
      ctx.addIssue({ code: 'custom', message: message(value), input: value })
      return z.NEVER
    }
    return value as Interval
  })
}

/**
 * metrics=KEY,KEY…: the keys asked for; undefined when absent (the route's default applies), every key when
 * empty.
 */
export const metricsParam = z
  .string({ error: '"metrics" must be given once, as a comma-separated list' })
  .meta({ description: `Comma-separated metric keys (default: all): ${METRIC_KEYS.join(', ')}` })
  .optional()
  .transform((value, ctx): MetricKey[] | undefined => {
    if (value === undefined) return undefined
    if (value === '') return [...METRIC_KEYS]
    const asked = value.split(',').map((k) => k.trim())
    const unknown = asked.filter((k) => !(METRIC_KEYS as readonly string[]).includes(k))
    if (unknown.length > 0) {
      ctx.addIssue({
        code: 'custom',
        input: value,
        message: `Unknown metric ${unknown.map((k) => JSON.stringify(k)).join(', ')}; known: ${METRIC_KEYS.join(', ')}`,
      })
      return z.NEVER
    }
    return asked as MetricKey[]
  })

const from = dayParam('from', 'First day, YYYY-MM-DD in the workspace time zone. Default: `to` − 29 days')
const to = dayParam('to', 'Last day (inclusive). Default: today in the workspace time zone')

/** `from` after `to`, both given (with `to` absent the workspace's today decides: resolveRange()). */
function fromAfterTo(range: { from?: number | undefined; to?: number | undefined }): string | null {
  return range.from !== undefined && range.to !== undefined && range.from > range.to
    ? `"from" (${formatDay(range.from)}) is after "to" (${formatDay(range.to)})`
    : null
}

/** from and to: days, `from` not after `to` when both are given; `leading` parameters listed before them. */
export function withRange<T extends z.ZodRawShape, L extends z.ZodRawShape = Record<never, never>>(
  shape: T,
  leading: L = {} as L,
) {
  type Range = { from?: unknown; to?: unknown }
  const days = (value: unknown) => value as { from?: number; to?: number }
  return z.object({ ...leading, from, to, ...shape }).refine((range) => fromAfterTo(days(range)) === null, {
    path: ['range'],
    error: (issue) => fromAfterTo(days(issue.input)) ?? 'invalid range',
    // Also when another parameter is wrong: the metric parsers checked the range first.
    when: ({ value }) => typeof (value as Range).from === 'number' && typeof (value as Range).to === 'number',
  })
}

/** The parameters in the order the metric parsers checked them: the first problem is the one answered. */
export const RANGE_ORDER = ['to', 'from', 'range'] as const

/** The range with its defaults: the last 30 days in the workspace's time zone. */
export function resolveRange(
  query: { from?: number | undefined; to?: number | undefined },
  timezone: string,
  now = Date.now(),
): RangeQuery {
  const to = query.to ?? localDay(now, timezone)
  const range = { from: query.from ?? to - 29, to }
  const problem = fromAfterTo(range)
  if (problem !== null) throw new TbError('invalid_parameter', problem)
  return range
}

/** limit: a positive integer, capped at `max`; `fallback` when absent or empty. */
export function limitParam(fallback: number, max: number) {
  const message = '"limit" must be a positive integer'
  return single(
    { type: 'integer', minimum: 1, description: `1–${max} (larger is capped), default ${fallback}` },
    () => message,
  ).transform((value, ctx) => {
    if (value === undefined || value === '') return fallback
    const n = Number(value)
    if (!Number.isInteger(n) || n < 1) {
      ctx.addIssue({ code: 'custom', message, input: value })
      return z.NEVER
    }
    return Math.min(n, max)
  })
}
