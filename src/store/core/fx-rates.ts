// A workspace's exchange rates (docs/metrics.md, "Currencies"), for both databases. The rollups convert foreign
// amounts as they are counted: every change of the rates starts a rebuild of the workspace's metrics in the
// same transaction, under the workspace's lock (core/rebuild.ts startRebuild), as a change of settings does.
import { FxTable, type FxRate } from '../../model/fx.js'
import type { FxRateFilter, FxRateSelection, FxRatesPut, FxRatesStore } from '../interfaces/fx-rates.js'
import { currentSettings, startRebuild } from './rebuild.js'
import { all, lockWorkspace, many, run, type Executor, type Program } from './sql.js'

interface RateRow {
  currency: string
  day: number
  rate: number
}

const toRate = (r: RateRow): FxRate => ({ currency: r.currency, day: Number(r.day), rate: Number(r.rate) })

/** Every rate of the workspace, as the lookup table counting uses. */
export function* fxTableOf(ws: number, workspaceCurrency: string): Program<FxTable> {
  const rows = yield* all<RateRow>(
    'SELECT currency, day, rate FROM fx_rates WHERE workspace_id = ? ORDER BY currency, day',
    [ws],
  )
  return new FxTable(workspaceCurrency, rows.map(toRate))
}

/** Adds or replaces a rate per row [currency, day, rate]. */
const UPSERT = {
  sqlite: `INSERT INTO fx_rates (workspace_id, currency, day, rate) VALUES (?, ?, ?, ?)
    ON CONFLICT (workspace_id, currency, day) DO UPDATE SET rate = excluded.rate`,
  postgres: `INSERT INTO fx_rates (workspace_id, currency, day, rate)
    SELECT ?::bigint, * FROM unnest(?::text[], ?::int[], ?::float8[])
    ON CONFLICT (workspace_id, currency, day) DO UPDATE SET rate = excluded.rate`,
}

/** Days are 32-bit integers in both databases: a day beyond them names no rate. */
const MAX_DAY = 2 ** 31 - 1
const isDay = (day: number | undefined) =>
  day === undefined || (Number.isInteger(day) && Math.abs(day) <= MAX_DAY)
const clampDay = (day: number | undefined) =>
  day === undefined ? undefined : Math.max(-MAX_DAY, Math.min(MAX_DAY, Math.floor(day)))

const key = (currency: string, day: number) => `${currency}\u0000${day}`

/** The rates given, the last of each (currency, day) pair kept; a rate that is not finite and > 0 throws. */
function distinct(rates: readonly FxRate[]): Map<string, FxRate> {
  const byKey = new Map<string, FxRate>()
  for (const r of rates) {
    if (!(Number.isFinite(r.rate) && r.rate > 0))
      throw new RangeError(`An exchange rate must be a finite number > 0 (${r.currency}: ${r.rate})`)
    if (!isDay(r.day)) throw new RangeError(`Not a day: ${r.day}`)
    byKey.set(key(r.currency, r.day), { currency: r.currency, day: r.day, rate: r.rate })
  }
  return byKey
}

/** Starts the workspace's rebuild (its settings until now are the previous generation's). */
function* rebuildAfterChange(ws: number): Program<void> {
  yield* startRebuild(ws, yield* currentSettings(ws))
}

function* put(ws: number, rates: readonly FxRate[]): Program<FxRatesPut> {
  const given = distinct(rates)
  if (given.size === 0) return { written: 0, changed: 0 }
  yield* lockWorkspace(ws)
  // Only the rates that are new or differ are written: the same file imported twice changes nothing and
  // starts no rebuild.
  let from = Infinity
  let to = -Infinity
  for (const r of given.values()) {
    from = Math.min(from, r.day)
    to = Math.max(to, r.day)
  }
  const stored = new Map<string, number>()
  for (const r of yield* all<RateRow>(
    'SELECT currency, day, rate FROM fx_rates WHERE workspace_id = ? AND day BETWEEN ? AND ?',
    [ws, from, to],
  ))
    stored.set(key(r.currency, Number(r.day)), Number(r.rate))
  const changed = [...given].filter(([k, r]) => stored.get(k) !== r.rate).map(([, r]) => r)
  if (changed.length > 0) {
    yield* rebuildAfterChange(ws)
    yield* many(
      UPSERT,
      [ws],
      changed.map((r) => [r.currency, r.day, r.rate]),
    )
  }
  return { written: given.size, changed: changed.length }
}

/** The workspace's rows, narrowed by each condition whose value is given. */
function conditions(
  ws: number,
  optional: ReadonlyArray<readonly [sql: string, value: string | number | undefined]>,
): { where: string; params: unknown[] } {
  const given = optional.filter(([, value]) => value !== undefined)
  return {
    where: ['workspace_id = ?', ...given.map(([sql]) => sql)].join(' AND '),
    params: [ws, ...given.map(([, value]) => value)],
  }
}

function* list(ws: number, filter: FxRateFilter): Program<FxRate[]> {
  const { where, params } = conditions(ws, [
    ['currency = ?', filter.currency],
    ['day >= ?', filter.from],
    ['day <= ?', filter.to],
  ])
  const rows = yield* all<RateRow>(
    `SELECT currency, day, rate FROM fx_rates WHERE ${where} ORDER BY currency, day`,
    params,
  )
  return rows.map(toRate)
}

function* remove(ws: number, selection: FxRateSelection): Program<number> {
  yield* lockWorkspace(ws)
  const { where, params } = conditions(ws, [
    ['currency = ?', selection.currency],
    ['day = ?', selection.day],
  ])
  const removed = yield* run(`DELETE FROM fx_rates WHERE ${where}`, params)
  // The rebuild's previous settings are read after the removal: they are only its time zone, currency and
  // mapping, which the rates do not change.
  if (removed > 0) yield* rebuildAfterChange(ws)
  return removed
}

export class CoreFxRates implements FxRatesStore {
  constructor(
    private readonly sql: Executor,
    /**
     * Called synchronously once a change was written or failed (SQLite: its writer's caches of settings and
     * rollups start again from the database before anything else reads them).
     */
    private readonly changed: () => void = () => {},
  ) {}

  /** A write: the transaction, then `changed` at once, whether it succeeded or not. */
  private write<T>(program: () => Program<T>): Promise<T> {
    try {
      // SQLite's executor has run the transaction by the time this returns (it runs a program at the call).
      return this.sql.transaction(program)
    } finally {
      this.changed()
    }
  }

  put(ws: number, rates: readonly FxRate[]) {
    return this.write(() => put(ws, rates))
  }

  list(ws: number, filter: FxRateFilter = {}) {
    // A bound beyond every day is clamped rather than sent to PostgreSQL as an out-of-range parameter.
    return this.sql.run(list(ws, { ...filter, from: clampDay(filter.from), to: clampDay(filter.to) }))
  }

  async remove(ws: number, selection: FxRateSelection) {
    if (!isDay(selection.day)) return 0
    return this.write(() => remove(ws, selection))
  }
}
