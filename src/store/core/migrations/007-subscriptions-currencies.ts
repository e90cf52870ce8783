// Migration 7. Subscriptions, dated MRR movements, conversion cohorts, exchange rates (docs/metrics.md).
// Both dialects' DDL side by side; never edit an applied migration's text: add a migration instead.
//
// The rollups change meaning here (movements per day instead of per month, converted amounts, zero payments
// left out), so every workspace that existed before is marked rebuild_needed: the server rebuilds it in
// slices at start (store/rebuild-runner.ts). Workspaces created afterwards start with 0.
import type { Migration } from './migration.js'

export const subscriptionsCurrencies: Migration = {
  version: 7,
  name: 'subscriptions, dated MRR movements, conversion cohorts, exchange rates',
  sqlite: `
-- The revenue rules (docs/metrics.md); changing one rebuilds the metrics.
ALTER TABLE workspaces ADD COLUMN churn_recognition TEXT NOT NULL DEFAULT 'end_of_period';
ALTER TABLE workspaces ADD COLUMN past_due_grace_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE workspaces ADD COLUMN conversion_window_days INTEGER NOT NULL DEFAULT 30;
ALTER TABLE workspaces ADD COLUMN gross_margin REAL NOT NULL DEFAULT 1;
ALTER TABLE workspaces ADD COLUMN rebuild_needed INTEGER NOT NULL DEFAULT 0;
UPDATE workspaces SET rebuild_needed = 1;

-- Workspace-currency units per unit of currency, per local day.
CREATE TABLE fx_rates (
  workspace_id INTEGER NOT NULL,
  currency TEXT NOT NULL,
  day INTEGER NOT NULL,
  rate REAL NOT NULL,
  PRIMARY KEY (workspace_id, currency, day)
) WITHOUT ROWID;

-- Per day and currency: native sums (payments of 0 left out), the part converted into the workspace currency
-- (all of it for the workspace currency itself), and the payments without a rate.
ALTER TABLE daily_revenue ADD COLUMN converted_payments INTEGER NOT NULL DEFAULT 0;
ALTER TABLE daily_revenue ADD COLUMN converted_gross_micros INTEGER NOT NULL DEFAULT 0;
ALTER TABLE daily_revenue ADD COLUMN converted_refunds INTEGER NOT NULL DEFAULT 0;
ALTER TABLE daily_revenue ADD COLUMN converted_refunds_micros INTEGER NOT NULL DEFAULT 0;
ALTER TABLE daily_revenue ADD COLUMN unconverted_payments INTEGER NOT NULL DEFAULT 0;
ALTER TABLE daily_revenue ADD COLUMN unconverted_micros INTEGER NOT NULL DEFAULT 0;

-- Per day: subscribers' running count, the day's MRR movements, and the conversion cohorts of the users whose
-- first visit (first_visitors, visitor_signups, visitor_payers) or first signup (signup_payers) is that day.
ALTER TABLE daily_users ADD COLUMN subscriber_delta INTEGER NOT NULL DEFAULT 0;
ALTER TABLE daily_users ADD COLUMN new_mrr_micros INTEGER NOT NULL DEFAULT 0;
ALTER TABLE daily_users ADD COLUMN expansion_mrr_micros INTEGER NOT NULL DEFAULT 0;
ALTER TABLE daily_users ADD COLUMN contraction_mrr_micros INTEGER NOT NULL DEFAULT 0;
ALTER TABLE daily_users ADD COLUMN churned_mrr_micros INTEGER NOT NULL DEFAULT 0;
ALTER TABLE daily_users ADD COLUMN reactivation_mrr_micros INTEGER NOT NULL DEFAULT 0;
ALTER TABLE daily_users ADD COLUMN first_visitors INTEGER NOT NULL DEFAULT 0;
ALTER TABLE daily_users ADD COLUMN visitor_signups INTEGER NOT NULL DEFAULT 0;
ALTER TABLE daily_users ADD COLUMN visitor_payers INTEGER NOT NULL DEFAULT 0;
ALTER TABLE daily_users ADD COLUMN signup_payers INTEGER NOT NULL DEFAULT 0;

-- One row per user per day their MRR changes (or would, but for a lapse at the day's end): MRR at the day's
-- start (from), at the next day's start (to), and at the day's end before its lapses (now: what a period
-- ending today reads); first_positive: the user never had MRR before.
CREATE TABLE mrr_changes (
  workspace_id INTEGER NOT NULL,
  user_ord INTEGER NOT NULL,
  day INTEGER NOT NULL,
  from_micros INTEGER NOT NULL,
  to_micros INTEGER NOT NULL,
  now_micros INTEGER NOT NULL,
  first_positive INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, user_ord, day)
) WITHOUT ROWID;
CREATE INDEX mrr_changes_day ON mrr_changes
  (workspace_id, day, user_ord, from_micros, to_micros, now_micros, first_positive);

-- Monthly movements now come from daily_users.
DROP TABLE mrr_movements;
`,
  postgres: `
-- The revenue rules (docs/metrics.md); changing one rebuilds the metrics.
ALTER TABLE workspaces ADD COLUMN churn_recognition text NOT NULL DEFAULT 'end_of_period',
  ADD COLUMN past_due_grace_days integer NOT NULL DEFAULT 0,
  ADD COLUMN conversion_window_days integer NOT NULL DEFAULT 30,
  ADD COLUMN gross_margin double precision NOT NULL DEFAULT 1,
  ADD COLUMN rebuild_needed boolean NOT NULL DEFAULT false;
UPDATE workspaces SET rebuild_needed = true;

-- Workspace-currency units per unit of currency, per local day.
CREATE TABLE fx_rates (
  workspace_id bigint NOT NULL,
  currency text COLLATE "C" NOT NULL,
  day integer NOT NULL,
  rate double precision NOT NULL,
  PRIMARY KEY (workspace_id, currency, day)
);

-- Per day and currency: native sums (payments of 0 left out), the part converted into the workspace currency
-- (all of it for the workspace currency itself), and the payments without a rate.
ALTER TABLE daily_revenue ADD COLUMN converted_payments bigint NOT NULL DEFAULT 0,
  ADD COLUMN converted_gross_micros numeric NOT NULL DEFAULT 0,
  ADD COLUMN converted_refunds bigint NOT NULL DEFAULT 0,
  ADD COLUMN converted_refunds_micros numeric NOT NULL DEFAULT 0,
  ADD COLUMN unconverted_payments bigint NOT NULL DEFAULT 0,
  ADD COLUMN unconverted_micros numeric NOT NULL DEFAULT 0;

-- Per day: subscribers' running count, the day's MRR movements, and the conversion cohorts of the users whose
-- first visit (first_visitors, visitor_signups, visitor_payers) or first signup (signup_payers) is that day.
ALTER TABLE daily_users ADD COLUMN subscriber_delta bigint NOT NULL DEFAULT 0,
  ADD COLUMN new_mrr_micros numeric NOT NULL DEFAULT 0,
  ADD COLUMN expansion_mrr_micros numeric NOT NULL DEFAULT 0,
  ADD COLUMN contraction_mrr_micros numeric NOT NULL DEFAULT 0,
  ADD COLUMN churned_mrr_micros numeric NOT NULL DEFAULT 0,
  ADD COLUMN reactivation_mrr_micros numeric NOT NULL DEFAULT 0,
  ADD COLUMN first_visitors bigint NOT NULL DEFAULT 0,
  ADD COLUMN visitor_signups bigint NOT NULL DEFAULT 0,
  ADD COLUMN visitor_payers bigint NOT NULL DEFAULT 0,
  ADD COLUMN signup_payers bigint NOT NULL DEFAULT 0;

-- One row per user per day their MRR changes (or would, but for a lapse at the day's end): MRR at the day's
-- start (from), at the next day's start (to), and at the day's end before its lapses (now: what a period
-- ending today reads); first_positive: the user never had MRR before.
CREATE TABLE mrr_changes (
  workspace_id bigint NOT NULL,
  user_ord bigint NOT NULL,
  day integer NOT NULL,
  from_micros bigint NOT NULL,
  to_micros bigint NOT NULL,
  now_micros bigint NOT NULL,
  first_positive boolean NOT NULL,
  PRIMARY KEY (workspace_id, user_ord, day)
);
CREATE INDEX mrr_changes_day ON mrr_changes (workspace_id, day);

-- Monthly movements now come from daily_users.
DROP TABLE mrr_movements;
`,
}
