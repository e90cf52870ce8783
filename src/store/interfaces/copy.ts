// Copying a store into another (`tractionboard store copy`, src/store/copy.ts): every table as portable
// rows, in key order, so a copy can resume.
import type { CopyTableSpec, CopyValue } from './copy-tables.js'

export interface StoreCopySupport {
  /** The version of the store's schema (its last applied migration). */
  schemaVersion(): Promise<number>
  /** Rows of a table (of one workspace, for workspace tables) in key order, after the key `after`. */
  exportRows(
    table: CopyTableSpec,
    workspaceId: number | null,
    after: CopyValue[] | null,
    limit: number,
  ): Promise<CopyValue[][]>
  /** Inserts rows in one transaction, skipping those whose key already exists; the number inserted. */
  importRows(table: CopyTableSpec, workspaceId: number | null, rows: CopyValue[][]): Promise<number>
  /** The key of the table's last row in key order (a copy resumes after it), or null when empty. */
  lastKey(table: CopyTableSpec, workspaceId: number | null): Promise<CopyValue[] | null>
  countRows(table: CopyTableSpec, workspaceId: number | null): Promise<number>
  /** After an import with explicit ids: id sequences move past the largest copied id. */
  finishImport(): Promise<void>
}
