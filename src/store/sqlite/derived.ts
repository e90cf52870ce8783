// Derived structures of the SQLite store: indexes computed from the tables, which hold nothing of their own.
// They are created (and filled) at open when missing, outside the versioned migrations: the schema version is
// shared with the PostgreSQL store (`store copy` requires both sides to match) and these structures exist on
// SQLite only. `store copy` does not copy them; they are filled from the rows like any index.
import type Database from 'better-sqlite3'

interface Derived {
  name: string
  create: string
  /** Fills it from the existing rows, once, when it is created. */
  fill?: string
}

const DERIVED: Derived[] = [
  {
    // Trigram index of each user's casefolded External User ID, email and name (tb_search_text, registered on
    // every connection: see search-functions.ts), for GET /api/v1/users?query= (core/user-search.ts): substring
    // search without reading every user. rowid: workspace_id * 2^32 + user_ord. Kept by triggers, so every
    // writer (ingestion, rebuild, copy, deletion) keeps it.
    name: 'users_search',
    create: `
CREATE VIRTUAL TABLE users_search USING fts5(text, tokenize = 'trigram case_sensitive 1', detail = 'none');
CREATE TRIGGER users_search_insert AFTER INSERT ON users WHEN new.external_id IS NOT NULL BEGIN
  INSERT INTO users_search (rowid, text)
  VALUES (new.workspace_id * 4294967296 + new.user_ord, tb_search_text(new.external_id, new.email, new.name));
END;
CREATE TRIGGER users_search_update AFTER UPDATE OF external_id, email, name ON users BEGIN
  DELETE FROM users_search WHERE rowid = old.workspace_id * 4294967296 + old.user_ord;
  INSERT INTO users_search (rowid, text)
  SELECT new.workspace_id * 4294967296 + new.user_ord, tb_search_text(new.external_id, new.email, new.name)
  WHERE new.external_id IS NOT NULL;
END;
CREATE TRIGGER users_search_delete AFTER DELETE ON users BEGIN
  DELETE FROM users_search WHERE rowid = old.workspace_id * 4294967296 + old.user_ord;
END;`,
    fill: `INSERT INTO users_search (rowid, text)
SELECT workspace_id * 4294967296 + user_ord, tb_search_text(external_id, email, name) FROM users
WHERE external_id IS NOT NULL`,
  },
  {
    // Sizes of cached day sets and churn counts (day-sets.ts, metrics-reader.ts): a few bytes each, where a day's
    // bitmap is tens of kilobytes in day_bitmaps. Emptied with day_bitmaps (rollups.ts, rebuild.ts).
    name: 'day_counts',
    create: `CREATE TABLE day_counts (
  workspace_id INTEGER NOT NULL,
  day INTEGER NOT NULL,
  measure INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, day, measure)
) WITHOUT ROWID`,
  },
  {
    // Status changes by day with every column the metrics read (metrics-reader.ts, transitions): counted from
    // the index alone, without a table lookup per change.
    name: 'status_transitions_covering',
    create: `CREATE INDEX status_transitions_covering ON status_transitions
  (workspace_id, status, day, user_ord, since_day, first_payment_day, first_seen_day, identified)`,
  },
]

/** Creates (and fills) every derived structure the file lacks. */
export function ensureDerived(db: Database.Database): void {
  const exists = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM sqlite_master WHERE name = ?')
  // Checked again under the write lock: another process may be opening the same file.
  const create = db.transaction((d: Derived) => {
    if (exists.get(d.name) !== undefined) return
    db.exec(d.create)
    if (d.fill !== undefined) db.exec(d.fill)
  })
  for (const d of DERIVED) if (exists.get(d.name) === undefined) create.immediate(d)
}
