// The versioned schema, one history for both databases: the same tables, keys and version numbers, each
// migration's SQLite and PostgreSQL DDL side by side (NNN-name.ts). Applied by core/migrator.ts.
//
// Every tenant table leads its primary key with workspace_id, the shape of the PostgreSQL/Citus store: it can
// be distributed on it, colocated with events; tokens, accounts, sessions and share_links are small global
// (reference) tables. On PostgreSQL ids are bigint everywhere, times are epoch milliseconds (bigint), days are
// days since 1970-01-01 (integer), micros sums are numeric (they can never overflow), and strings that are
// compared or sorted use the "C" collation (byte order, as SQLite). Only users.facts is jsonb there (the user
// search reads into it); other JSON is kept as the text it was written as. PostgreSQL also keeps a few columns
// derived from others: users' external_fold, email_fold, name_fold (the search) and accounts' and invitations'
// email_key (what SQLite's NOCASE compares).
import type { Migration } from './migration.js'
import { ingestionCore } from './001-ingestion-core.js'
import { metricRollups } from './002-metric-rollups.js'
import { userListingIndexes } from './003-user-listing-indexes.js'
import { dashboardAccounts } from './004-dashboard-accounts.js'
import { rebuildSlices } from './005-rebuild-slices.js'
import { shareLinkBudgetsInvitations } from './006-share-link-budgets-invitations.js'
import { subscriptionsCurrencies } from './007-subscriptions-currencies.js'
import { privacySignals } from './008-privacy-signals.js'
import { showableTokenIds } from './009-showable-token-ids.js'
import { mrrCells } from './010-mrr-cells.js'
import { liveHistoryIndexes } from './011-live-history-indexes.js'
import { mrrRetentionCache } from './012-mrr-retention-cache.js'

export type { Migration } from './migration.js'

/** In version order, without gaps. */
export const MIGRATIONS: readonly Migration[] = [
  ingestionCore,
  metricRollups,
  userListingIndexes,
  dashboardAccounts,
  rebuildSlices,
  shareLinkBudgetsInvitations,
  subscriptionsCurrencies,
  privacySignals,
  showableTokenIds,
  mrrCells,
  liveHistoryIndexes,
  mrrRetentionCache,
]

/** The version a database has once migrated by this build. */
export const SCHEMA_VERSION = Math.max(0, ...MIGRATIONS.map((m) => m.version))
