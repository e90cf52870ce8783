// Versioned schema. Every tenant table leads with workspace_id, the same shape as the PostgreSQL/Citus store.

export interface Migration {
  version: number
  name: string
  sql: string
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'ingestion core',
    sql: `
CREATE TABLE workspaces (
  workspace_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  timezone TEXT NOT NULL,
  currency TEXT NOT NULL,
  event_mapping TEXT NOT NULL,
  signing_secret TEXT,
  next_user_ord INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL
);

-- Looked up by hash before the workspace is known: a reference table under Citus.
CREATE TABLE tokens (
  token_hash TEXT PRIMARY KEY,
  workspace_id INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('write', 'api')),
  hint TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER
);
CREATE INDEX tokens_workspace ON tokens (workspace_id, kind);

CREATE TABLE events (
  workspace_id INTEGER NOT NULL,
  message_id TEXT NOT NULL,
  user_ord INTEGER NOT NULL,
  type TEXT NOT NULL,
  kind TEXT NOT NULL,
  name TEXT,
  event_time INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  sent_at INTEGER,
  client_time INTEGER,
  amount_micros INTEGER,
  currency TEXT,
  raw TEXT NOT NULL,
  PRIMARY KEY (workspace_id, message_id)
);
CREATE INDEX events_user ON events (workspace_id, user_ord, event_time);

-- Every id (userId, anonymousId, alias previousId) points at the user it belongs to.
CREATE TABLE identities (
  workspace_id INTEGER NOT NULL,
  raw_id TEXT NOT NULL,
  user_ord INTEGER NOT NULL,
  is_user INTEGER NOT NULL,
  aliased INTEGER NOT NULL,
  user_seen INTEGER,
  PRIMARY KEY (workspace_id, raw_id)
) WITHOUT ROWID;
CREATE INDEX identities_user ON identities (workspace_id, user_ord);

CREATE TABLE users (
  workspace_id INTEGER NOT NULL,
  user_ord INTEGER NOT NULL,
  external_id TEXT,
  status TEXT NOT NULL,
  signed_up_at INTEGER,
  first_payment_at INTEGER,
  canceled_at INTEGER,
  first_seen INTEGER,
  last_seen INTEGER,
  email TEXT,
  name TEXT,
  facts TEXT NOT NULL,
  PRIMARY KEY (workspace_id, user_ord)
);
CREATE INDEX users_external ON users (workspace_id, external_id);

CREATE TABLE rejected_events (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  raw TEXT NOT NULL
);
CREATE INDEX rejected_events_workspace ON rejected_events (workspace_id, id);
`,
  },
]
