// Acquisition spend entries, for both databases. Ids are unique per store; the key is (workspace_id, id).
import type { DayRange } from '../interfaces/metrics.js'
import type { NewSpend, SpendEntry, SpendStore } from '../interfaces/spend.js'
import { all, get, run, type Executor, type Program } from './sql.js'

interface SpendRow {
  id: number
  day: number
  amount_micros: number
  channel: string
  note: string | null
  created_at: number
}

const COLUMNS = 'id, day, amount_micros, channel, note, created_at'

function toEntry(row: SpendRow): SpendEntry {
  return {
    id: row.id,
    day: row.day,
    amountMicros: row.amount_micros,
    // '' is "no channel": the channel is part of the channel rollups' key, which cannot be null.
    channel: row.channel === '' ? null : row.channel,
    note: row.note,
    createdAt: row.created_at,
  }
}

function* add(ws: number, entry: NewSpend): Program<SpendEntry> {
  const row = yield* get<SpendRow>(
    `INSERT INTO spend (workspace_id, day, amount_micros, channel, note, created_at) VALUES (?, ?, ?, ?, ?, ?)
     RETURNING ${COLUMNS}`,
    [ws, entry.day, entry.amountMicros, entry.channel ?? '', entry.note, Date.now()],
  )
  return toEntry(row!)
}

function* addMany(ws: number, entries: NewSpend[]): Program<SpendEntry[]> {
  const added: SpendEntry[] = []
  for (const entry of entries) added.push(yield* add(ws, entry))
  return added
}

function* update(ws: number, id: number, entry: NewSpend): Program<SpendEntry | null> {
  const row = yield* get<SpendRow>(
    `UPDATE spend SET day = ?, amount_micros = ?, channel = ?, note = ? WHERE workspace_id = ? AND id = ?
     RETURNING ${COLUMNS}`,
    [entry.day, entry.amountMicros, entry.channel ?? '', entry.note, ws, id],
  )
  return row === undefined ? null : toEntry(row)
}

function* list(ws: number, range: DayRange): Program<SpendEntry[]> {
  const rows = yield* all<SpendRow>(
    `SELECT ${COLUMNS} FROM spend WHERE workspace_id = ? AND day BETWEEN ? AND ? ORDER BY day, id`,
    [ws, range.from, range.to],
  )
  return rows.map(toEntry)
}

export class CoreSpend implements SpendStore {
  constructor(private readonly sql: Executor) {}

  add(ws: number, entry: NewSpend) {
    return this.sql.run(add(ws, entry))
  }

  addMany(ws: number, entries: NewSpend[]) {
    return this.sql.transaction(() => addMany(ws, entries))
  }

  async update(ws: number, id: number, entry: NewSpend) {
    // Ids are 64-bit integers: one beyond them names no entry (PostgreSQL would refuse the parameter).
    if (!Number.isSafeInteger(id)) return null
    return this.sql.run(update(ws, id, entry))
  }

  async delete(ws: number, id: number) {
    if (!Number.isSafeInteger(id)) return false
    return (await this.sql.run(run('DELETE FROM spend WHERE workspace_id = ? AND id = ?', [ws, id]))) > 0
  }

  list(ws: number, range: DayRange) {
    return this.sql.run(list(ws, range))
  }
}
