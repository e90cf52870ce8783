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

MIGRATIONS.push({
  version: 2,
  name: 'metric rollups',
  sql: `
-- One row per user per local day with any event: exact distinct counts come from these (via day_bitmaps).
-- flags: 1 visited, 2 active (a user with a userId), 4 paid. net_micros: workspace-currency payments − refunds.
CREATE TABLE user_days (
  workspace_id INTEGER NOT NULL,
  day INTEGER NOT NULL,
  user_ord INTEGER NOT NULL,
  flags INTEGER NOT NULL,
  net_micros INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, day, user_ord)
) WITHOUT ROWID;

-- Cache of user_days as compressed bitmaps per day and measure; a row is dropped whenever its day changes.
CREATE TABLE day_bitmaps (
  workspace_id INTEGER NOT NULL,
  day INTEGER NOT NULL,
  measure INTEGER NOT NULL,
  bitmap BLOB NOT NULL,
  PRIMARY KEY (workspace_id, day, measure)
) WITHOUT ROWID;

CREATE TABLE daily_events (
  workspace_id INTEGER NOT NULL,
  day INTEGER NOT NULL,
  visits INTEGER NOT NULL DEFAULT 0,
  logins INTEGER NOT NULL DEFAULT 0,
  events INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (workspace_id, day)
) WITHOUT ROWID;

CREATE TABLE daily_revenue (
  workspace_id INTEGER NOT NULL,
  day INTEGER NOT NULL,
  currency TEXT NOT NULL,
  payments INTEGER NOT NULL DEFAULT 0,
  gross_micros INTEGER NOT NULL DEFAULT 0,
  refunds INTEGER NOT NULL DEFAULT 0,
  refunds_micros INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (workspace_id, day, currency)
) WITHOUT ROWID;

-- Sums of per-user contributions (src/model/contributions.ts).
CREATE TABLE daily_users (
  workspace_id INTEGER NOT NULL,
  day INTEGER NOT NULL,
  signups INTEGER NOT NULL DEFAULT 0,
  new_customers INTEGER NOT NULL DEFAULT 0,
  customer_delta INTEGER NOT NULL DEFAULT 0,
  user_delta INTEGER NOT NULL DEFAULT 0,
  mrr_delta_micros INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (workspace_id, day)
) WITHOUT ROWID;

CREATE TABLE channel_signups (
  workspace_id INTEGER NOT NULL,
  day INTEGER NOT NULL,
  channel TEXT NOT NULL,
  signups INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (workspace_id, day, channel)
) WITHOUT ROWID;

CREATE TABLE status_transitions (
  workspace_id INTEGER NOT NULL,
  user_ord INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  day INTEGER NOT NULL,
  status TEXT NOT NULL,
  since_day INTEGER,
  first_payment_day INTEGER,
  first_seen_day INTEGER,
  identified INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, user_ord, seq)
) WITHOUT ROWID;
CREATE INDEX status_transitions_day ON status_transitions (workspace_id, status, day);

CREATE TABLE mrr_movements (
  workspace_id INTEGER NOT NULL,
  month INTEGER NOT NULL,
  new_micros INTEGER NOT NULL DEFAULT 0,
  expansion_micros INTEGER NOT NULL DEFAULT 0,
  contraction_micros INTEGER NOT NULL DEFAULT 0,
  churned_micros INTEGER NOT NULL DEFAULT 0,
  reactivation_micros INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (workspace_id, month)
) WITHOUT ROWID;

CREATE TABLE spend (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL,
  day INTEGER NOT NULL,
  amount_micros INTEGER NOT NULL,
  channel TEXT NOT NULL,
  note TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX spend_day ON spend (workspace_id, day);

ALTER TABLE users ADD COLUMN signup_day INTEGER;
CREATE INDEX users_signup_day ON users (workspace_id, signup_day);
`,
})

MIGRATIONS.push({
  version: 3,
  name: 'user listing and export indexes',
  sql: `
-- GET /api/v1/users sorted by last_seen (the default) or first_seen: a page reads about limit rows whatever the
-- number of users. Partial: anonymous profiles are never listed, so they cost nothing here.
CREATE INDEX users_last_seen ON users (workspace_id, last_seen, user_ord) WHERE external_id IS NOT NULL;
CREATE INDEX users_first_seen ON users (workspace_id, first_seen, user_ord) WHERE external_id IS NOT NULL;

-- The events export in (event_time, message_id) order: each chunk of 1,000 starts where the last one ended
-- instead of scanning the workspace. message_id is left out to keep the index small (ties are few per instant).
CREATE INDEX events_time ON events (workspace_id, event_time);
`,
})

MIGRATIONS.push({
  version: 4,
  name: 'dashboard accounts, sessions and share links',
  sql: `
-- Global, small: reference tables under Citus.
CREATE TABLE accounts (
  account_id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER
);

CREATE TABLE sessions (
  session_hash TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE memberships (
  workspace_id INTEGER NOT NULL,
  account_id INTEGER NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('owner', 'member', 'viewer')),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, account_id)
) WITHOUT ROWID;
CREATE INDEX memberships_account ON memberships (account_id);

-- Looked up by token hash before the workspace is known.
CREATE TABLE share_links (
  token_hash TEXT PRIMARY KEY,
  workspace_id INTEGER NOT NULL,
  link_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  metrics TEXT,
  password_hash TEXT,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE UNIQUE INDEX share_links_id ON share_links (workspace_id, link_id);
`,
})

MIGRATIONS.push({
  version: 5,
  name: 'rebuilds in slices, rejected events by subject',
  sql: `
-- A rebuild walks a workspace's users in slices (src/store/sqlite/rebuild.ts). A user whose generation is
-- behind the workspace's is still counted with the settings of their generation, kept in settings_generations
-- until the rebuild is done; rebuilds holds the progress of each running one.
ALTER TABLE workspaces ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
CREATE TABLE settings_generations (
  workspace_id INTEGER NOT NULL,
  generation INTEGER NOT NULL,
  timezone TEXT NOT NULL,
  currency TEXT NOT NULL,
  event_mapping TEXT NOT NULL,
  PRIMARY KEY (workspace_id, generation)
) WITHOUT ROWID;
CREATE TABLE rebuilds (
  workspace_id INTEGER PRIMARY KEY,
  cursor INTEGER NOT NULL DEFAULT 0,
  done_events INTEGER NOT NULL DEFAULT 0,
  total_events INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  slices INTEGER NOT NULL DEFAULT 0
);

-- The userId (else anonymousId) a rejected message named, so that a privacy deletion finds its rejections.
ALTER TABLE rejected_events ADD COLUMN subject TEXT;
CREATE INDEX rejected_events_subject ON rejected_events (workspace_id, subject) WHERE subject IS NOT NULL;
`,
})

MIGRATIONS.push({
  version: 6,
  name: 'password-check budgets of share links, invitations',
  sql: `
-- Password checks of a share link in the current window, reserved before each check (src/api/share-links.ts).
ALTER TABLE share_links ADD COLUMN password_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE share_links ADD COLUMN attempts_since INTEGER;

-- An email invited to a workspace; the account with that email becomes a member when it accepts.
CREATE TABLE invitations (
  invitation_id INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id INTEGER NOT NULL,
  email TEXT NOT NULL COLLATE NOCASE,
  role TEXT NOT NULL CHECK (role IN ('owner', 'member', 'viewer')),
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX invitations_workspace_email ON invitations (workspace_id, email);
CREATE INDEX invitations_email ON invitations (email);
`,
})
