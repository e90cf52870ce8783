// Acquisition spend, entered by hand or imported: the cost side of UAC.
import type { DayRange } from './metrics.js'

export interface SpendEntry {
  id: number
  day: number
  amountMicros: number
  channel: string | null
  note: string | null
  createdAt: number
}

export type NewSpend = Omit<SpendEntry, 'id' | 'createdAt'>

export interface SpendStore {
  add(workspaceId: number, entry: NewSpend): Promise<SpendEntry>
  /** Adds every entry or, on any failure, none. */
  addMany(workspaceId: number, entries: NewSpend[]): Promise<SpendEntry[]>
  /** Replaces an entry's fields; null when the workspace has no such entry. */
  update(workspaceId: number, id: number, entry: NewSpend): Promise<SpendEntry | null>
  delete(workspaceId: number, id: number): Promise<boolean>
  /** The entries of the days of a range, by day. */
  list(workspaceId: number, range: DayRange): Promise<SpendEntry[]>
}
