// The tables derived from the raw events (the same in every store). A rebuild empties the workspace-wide sums
// at its start (their rows are few: days, months, channels) and rewrites the per-user rows one user at a time.

/** Sums over all users by day or month, and the caches of per-day sets: emptied when a rebuild starts. */
export const AGGREGATE_TABLES = [
  'day_bitmaps',
  'daily_events',
  'daily_revenue',
  'daily_users',
  'channel_signups',
  'mrr_cells',
] as const

/** Rows of one user: rewritten when the rebuild reaches that user. */
export const PER_USER_TABLES = ['user_days', 'status_transitions', 'mrr_changes'] as const
