// Copies every table of one store into another (`tractionboard store copy`), through the stores' copy
// support only: portable rows in primary-key order, in chunks, each chunk one transaction in the target that
// skips rows already there. A copy that was interrupted resumes after the last row the target holds for each
// table, and a copy run twice changes nothing. At the end every table's row counts are compared.
import { COPY_TABLES, type CopyTableSpec, type CopyValue, type Store } from './types.js'

export interface CopyUnit {
  table: CopyTableSpec
  /** Null for global tables. */
  workspaceId: number | null
}

export interface CopyCount {
  table: string
  workspaceId: number | null
  source: number
  target: number
}

export interface CopyReport {
  counts: CopyCount[]
  /** Counts that differ (events and users included): the copy is not complete. */
  mismatches: CopyCount[]
  /** Rows inserted by this run (rows already in the target are not counted). */
  inserted: number
}

export interface CopyOptions {
  /** Rows per chunk (default 2,000). */
  chunk?: number
  /** Start every table from its first row instead of after the target's last row (still never duplicates). */
  restart?: boolean
  /** Called once with the number of rows to copy, then after every chunk with the rows copied so far. */
  onTotal?: (total: number, alreadyCopied: number) => void
  onProgress?: (copied: number, unit: CopyUnit) => void
  /** Stops between chunks when aborted (the copy can be resumed). */
  signal?: AbortSignal
}

export class CopyError extends Error {
  override name = 'CopyError'
}

function keyOf(table: CopyTableSpec, row: CopyValue[]): CopyValue[] {
  return table.key.map((k) => row[table.columns.findIndex(([c]) => c === k)] ?? null)
}

/** The target must be empty or a (partial) copy of this source: same workspaces, same names and creation. */
async function checkTarget(from: Store, to: Store, workspaces: CopyTableSpec): Promise<void> {
  const [a, b] = await Promise.all([from.copy.schemaVersion(), to.copy.schemaVersion()])
  if (a !== b)
    throw new CopyError(
      `Schema versions differ: source ${a}, target ${b}; run the same Tractionboard version`,
    )
  const source = new Map((await from.copy.exportRows(workspaces, null, null, 1e6)).map((r) => [r[0], r]))
  for (const row of await to.copy.exportRows(workspaces, null, null, 1e6)) {
    const mine = source.get(row[0]!)
    const same = (i: number) => mine?.[i] === row[i]
    if (mine === undefined || !same(1) || !same(7)) {
      throw new CopyError(
        `The target already holds workspace ${String(row[0])} (${String(row[1])}), which is not this source's: ` +
          'copy into an empty database',
      )
    }
  }
}

export async function copyStore(from: Store, to: Store, options: CopyOptions = {}): Promise<CopyReport> {
  const chunk = options.chunk ?? 2_000
  const workspacesTable = COPY_TABLES.find((t) => t.name === 'workspaces')!
  await checkTarget(from, to, workspacesTable)
  const workspaceIds = (await from.copy.exportRows(workspacesTable, null, null, 1e6)).map((r) => Number(r[0]))
  const units: CopyUnit[] = [
    ...COPY_TABLES.filter((t) => t.scope === 'global').map((table) => ({ table, workspaceId: null })),
    ...workspaceIds.flatMap((workspaceId) =>
      COPY_TABLES.filter((t) => t.scope === 'workspace').map((table) => ({ table, workspaceId })),
    ),
  ]
  const sizes = await Promise.all(
    units.map(async (u) => ({
      source: await from.copy.countRows(u.table, u.workspaceId),
      target: options.restart ? 0 : await to.copy.countRows(u.table, u.workspaceId),
    })),
  )
  const total = sizes.reduce((sum, s) => sum + s.source, 0)
  let copied = sizes.reduce((sum, s) => sum + Math.min(s.source, s.target), 0)
  options.onTotal?.(total, copied)

  let inserted = 0
  for (const unit of units) {
    let after = options.restart ? null : await to.copy.lastKey(unit.table, unit.workspaceId)
    for (;;) {
      if (options.signal?.aborted) throw new CopyError('Copy interrupted; run it again to resume')
      const rows = await from.copy.exportRows(unit.table, unit.workspaceId, after, chunk)
      if (rows.length === 0) break
      const added = await to.copy.importRows(unit.table, unit.workspaceId, rows)
      inserted += added
      copied += options.restart ? rows.length : added
      options.onProgress?.(Math.min(copied, total), unit)
      after = keyOf(unit.table, rows.at(-1)!)
      if (rows.length < chunk) break
    }
  }
  await to.copy.finishImport()

  const counts: CopyCount[] = []
  for (const unit of units) {
    const [source, target] = await Promise.all([
      from.copy.countRows(unit.table, unit.workspaceId),
      to.copy.countRows(unit.table, unit.workspaceId),
    ])
    counts.push({ table: unit.table.name, workspaceId: unit.workspaceId, source, target })
  }
  return { counts, mismatches: counts.filter((c) => c.source !== c.target), inserted }
}
