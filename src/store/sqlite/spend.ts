// Acquisition spend entries.
import type Database from 'better-sqlite3'
import type { DayRange, NewSpend, SpendEntry } from '../types.js'

interface SpendRow {
  id: number
  day: number
  amount_micros: number
  channel: string
  note: string | null
  created_at: number
}

function toEntry(row: SpendRow): SpendEntry {
  return {
    id: row.id,
    day: row.day,
    amountMicros: row.amount_micros,
    channel: row.channel === '' ? null : row.channel,
    note: row.note,
    createdAt: row.created_at,
  }
}

export class SqliteSpend {
  private readonly insert: Database.Statement<[number, number, number, string, string | null, number]>
  private readonly byId: Database.Statement<[number], SpendRow>
  private readonly inRange: Database.Statement<[number, number, number], SpendRow>
  private readonly remove: Database.Statement<[number, number]>
  private readonly change: Database.Statement<[number, number, string, string | null, number, number]>
  private readonly addAll: (ws: number, entries: NewSpend[]) => SpendEntry[]

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      'INSERT INTO spend (workspace_id, day, amount_micros, channel, note, created_at) VALUES (?,?,?,?,?,?)',
    )
    this.byId = db.prepare('SELECT * FROM spend WHERE id = ?')
    this.inRange = db.prepare(
      'SELECT * FROM spend WHERE workspace_id = ? AND day BETWEEN ? AND ? ORDER BY day, id',
    )
    this.remove = db.prepare('DELETE FROM spend WHERE workspace_id = ? AND id = ?')
    this.change = db.prepare(
      'UPDATE spend SET day = ?, amount_micros = ?, channel = ?, note = ? WHERE workspace_id = ? AND id = ?',
    )
    this.addAll = db.transaction((ws: number, entries: NewSpend[]) => entries.map((e) => this.add(ws, e)))
  }

  /** Every entry or none. */
  addMany(ws: number, entries: NewSpend[]): SpendEntry[] {
    return this.addAll(ws, entries)
  }

  update(ws: number, id: number, entry: NewSpend): SpendEntry | null {
    const changed = this.change.run(entry.day, entry.amountMicros, entry.channel ?? '', entry.note, ws, id)
    return changed.changes > 0 ? toEntry(this.byId.get(id)!) : null
  }

  add(ws: number, entry: NewSpend): SpendEntry {
    const info = this.insert.run(
      ws,
      entry.day,
      entry.amountMicros,
      entry.channel ?? '',
      entry.note,
      Date.now(),
    )
    return toEntry(this.byId.get(Number(info.lastInsertRowid))!)
  }

  list(ws: number, range: DayRange): SpendEntry[] {
    return this.inRange.all(ws, range.from, range.to).map(toEntry)
  }

  delete(ws: number, id: number): boolean {
    return this.remove.run(ws, id).changes > 0
  }
}
