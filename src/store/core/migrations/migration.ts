// One step of the schema history: its version, its name (both recorded in schema_migrations) and its DDL for
// each database, side by side. Each text is a script of several statements, run as it is.
export interface Migration {
  readonly version: number
  readonly name: string
  readonly sqlite: string
  readonly postgres: string
}
