// Acquisition spend entries. Ids come from one identity sequence; the key is (workspace_id, id).
import type pg from 'pg'
import type { DayRange, NewSpend, SpendEntry } from '../types.js'
import { inTransaction, one, rows, type Db } from './pool.js'
import { decodeNullable, decodeText, encodeNullable, encodeText } from './text-codec.js'

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
  const channel = decodeText(row.channel)
  return {
    id: row.id,
    day: row.day,
    amountMicros: row.amount_micros,
    channel: channel === '' ? null : channel,
    note: decodeNullable(row.note),
    createdAt: row.created_at,
  }
}

export class PgSpend {
  constructor(private readonly pool: pg.Pool) {}

  async add(ws: number, entry: NewSpend, db: Db = this.pool): Promise<SpendEntry> {
    const row = await one<SpendRow>(
      db,
      `INSERT INTO spend (workspace_id, day, amount_micros, channel, note, created_at) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING ${COLUMNS}`,
      [
        ws,
        entry.day,
        entry.amountMicros,
        encodeText(entry.channel ?? ''),
        encodeNullable(entry.note),
        Date.now(),
      ],
    )
    return toEntry(row!)
  }

  /** Every entry or none. */
  async addMany(ws: number, entries: NewSpend[]): Promise<SpendEntry[]> {
    return inTransaction(this.pool, async (client) => {
      const added: SpendEntry[] = []
      for (const entry of entries) added.push(await this.add(ws, entry, client))
      return added
    })
  }

  async update(ws: number, id: number, entry: NewSpend): Promise<SpendEntry | null> {
    if (!Number.isSafeInteger(id)) return null
    const row = await one<SpendRow>(
      this.pool,
      `UPDATE spend SET day = $1, amount_micros = $2, channel = $3, note = $4 WHERE workspace_id = $5 AND id = $6
       RETURNING ${COLUMNS}`,
      [entry.day, entry.amountMicros, encodeText(entry.channel ?? ''), encodeNullable(entry.note), ws, id],
    )
    return row === undefined ? null : toEntry(row)
  }

  async list(ws: number, range: DayRange): Promise<SpendEntry[]> {
    const list = await rows<SpendRow>(
      this.pool,
      `SELECT ${COLUMNS} FROM spend WHERE workspace_id = $1 AND day BETWEEN $2 AND $3 ORDER BY day, id`,
      [ws, range.from, range.to],
    )
    return list.map(toEntry)
  }

  async delete(ws: number, id: number): Promise<boolean> {
    if (!Number.isSafeInteger(id)) return false
    const result = await this.pool.query('DELETE FROM spend WHERE workspace_id = $1 AND id = $2', [ws, id])
    return (result.rowCount ?? 0) > 0
  }
}
