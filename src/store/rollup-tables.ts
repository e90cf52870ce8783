// The tables derived from the raw events, which a rebuild empties and recomputes (the same in every store).
export const ROLLUP_TABLES = [
  'user_days',
  'day_bitmaps',
  'daily_events',
  'daily_revenue',
  'daily_users',
  'channel_signups',
  'status_transitions',
  'mrr_movements',
] as const
