// Migration 2. Metric rollups: per-user days, daily sums, status transitions, MRR movements, spend.
// Both dialects' DDL side by side; never edit an applied migration's text: add a migration instead.
import type { Migration } from './migration.js'

export const metricRollups: Migration = {
  version: 2,
  name: 'metric rollups',
  sqlite: `
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
  postgres: `
-- flags: 1 visited, 2 active (a user with a userId), 4 paid. net_micros: workspace-currency payments − refunds.
CREATE TABLE user_days (
  workspace_id bigint NOT NULL,
  day integer NOT NULL,
  user_ord bigint NOT NULL,
  flags integer NOT NULL,
  net_micros numeric NOT NULL,
  PRIMARY KEY (workspace_id, day, user_ord)
);

-- Cache of user_days as compressed (roaring) bitmaps per day and measure; dropped whenever its day changes.
CREATE TABLE day_bitmaps (
  workspace_id bigint NOT NULL,
  day integer NOT NULL,
  measure integer NOT NULL,
  bitmap bytea NOT NULL,
  PRIMARY KEY (workspace_id, day, measure)
);

CREATE TABLE daily_events (
  workspace_id bigint NOT NULL,
  day integer NOT NULL,
  visits bigint NOT NULL DEFAULT 0,
  logins bigint NOT NULL DEFAULT 0,
  events bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (workspace_id, day)
);

CREATE TABLE daily_revenue (
  workspace_id bigint NOT NULL,
  day integer NOT NULL,
  currency text COLLATE "C" NOT NULL,
  payments bigint NOT NULL DEFAULT 0,
  gross_micros numeric NOT NULL DEFAULT 0,
  refunds bigint NOT NULL DEFAULT 0,
  refunds_micros numeric NOT NULL DEFAULT 0,
  PRIMARY KEY (workspace_id, day, currency)
);

CREATE TABLE daily_users (
  workspace_id bigint NOT NULL,
  day integer NOT NULL,
  signups bigint NOT NULL DEFAULT 0,
  new_customers bigint NOT NULL DEFAULT 0,
  customer_delta bigint NOT NULL DEFAULT 0,
  user_delta bigint NOT NULL DEFAULT 0,
  mrr_delta_micros numeric NOT NULL DEFAULT 0,
  PRIMARY KEY (workspace_id, day)
);

CREATE TABLE channel_signups (
  workspace_id bigint NOT NULL,
  day integer NOT NULL,
  channel text COLLATE "C" NOT NULL,
  signups bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (workspace_id, day, channel)
);

CREATE TABLE status_transitions (
  workspace_id bigint NOT NULL,
  user_ord bigint NOT NULL,
  seq integer NOT NULL,
  day integer NOT NULL,
  status text NOT NULL,
  since_day integer,
  first_payment_day integer,
  first_seen_day integer,
  identified boolean NOT NULL,
  PRIMARY KEY (workspace_id, user_ord, seq)
);
CREATE INDEX status_transitions_day ON status_transitions (workspace_id, status, day);

CREATE TABLE mrr_movements (
  workspace_id bigint NOT NULL,
  month integer NOT NULL,
  new_micros numeric NOT NULL DEFAULT 0,
  expansion_micros numeric NOT NULL DEFAULT 0,
  contraction_micros numeric NOT NULL DEFAULT 0,
  churned_micros numeric NOT NULL DEFAULT 0,
  reactivation_micros numeric NOT NULL DEFAULT 0,
  PRIMARY KEY (workspace_id, month)
);

CREATE TABLE spend (
  workspace_id bigint NOT NULL,
  id bigint GENERATED BY DEFAULT AS IDENTITY,
  day integer NOT NULL,
  amount_micros bigint NOT NULL,
  channel text COLLATE "C" NOT NULL,
  note text,
  created_at bigint NOT NULL,
  PRIMARY KEY (workspace_id, id)
);
CREATE INDEX spend_day ON spend (workspace_id, day);

ALTER TABLE users ADD COLUMN signup_day integer;
CREATE INDEX users_signup_day ON users (workspace_id, signup_day);
`,
}
