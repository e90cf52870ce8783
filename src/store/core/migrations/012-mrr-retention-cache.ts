// Migration 12. The retention sums of ranges that ended long enough ago, cached (core/retention-cache.ts):
// a year's NRR, GRR and churned subscribers by month then reads eleven rows and computes only the month in
// progress. mrr_retention_epochs counts, per workspace, the writes that dropped cached ranges, so a read that
// computed its sums before such a write does not store them.
import type { Migration } from './migration.js'

export const mrrRetentionCache: Migration = {
  version: 12,
  name: 'cached retention sums of past ranges',
  sqlite: `
CREATE TABLE mrr_retention (
  workspace_id INTEGER NOT NULL,
  from_day INTEGER NOT NULL,
  to_day INTEGER NOT NULL,
  churned INTEGER NOT NULL,
  net_micros INTEGER,
  loss_micros INTEGER,
  PRIMARY KEY (workspace_id, from_day, to_day)
) WITHOUT ROWID;
CREATE TABLE mrr_retention_epochs (
  workspace_id INTEGER PRIMARY KEY,
  epoch INTEGER NOT NULL
);
`,
  postgres: `
CREATE TABLE mrr_retention (
  workspace_id bigint NOT NULL,
  from_day integer NOT NULL,
  to_day integer NOT NULL,
  churned bigint NOT NULL,
  net_micros numeric,
  loss_micros numeric,
  PRIMARY KEY (workspace_id, from_day, to_day)
);
CREATE TABLE mrr_retention_epochs (
  workspace_id bigint PRIMARY KEY,
  epoch bigint NOT NULL
);
`,
}
