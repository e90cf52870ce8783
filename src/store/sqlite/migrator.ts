// Applies the pending migrations (migrations.ts), each in its own transaction.
import type Database from 'better-sqlite3'
import { MIGRATIONS } from './migrations.js'

export function migrate(db: Database.Database): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  )
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[])
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue
    db.transaction(() => {
      db.exec(m.sql)
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        Date.now(),
      )
    })()
  }
}
