// Migration 11. Indexes of Live events' history (core/live-history.ts): the newest events and rejections of a
// workspace, by received time, each page a bounded index range whatever the workspace's size.
// Both dialects' DDL side by side; never edit an applied migration's text: add a migration instead.
import type { Migration } from './migration.js'

export const liveHistoryIndexes: Migration = {
  version: 11,
  name: 'live history indexes',
  sqlite: `
-- message_id breaks ties between events received in the same millisecond, so a page's cursor is exact.
CREATE INDEX events_received ON events (workspace_id, received_at, message_id);
CREATE INDEX rejected_events_received ON rejected_events (workspace_id, received_at, id);
`,
  postgres: `
CREATE INDEX events_received ON events (workspace_id, received_at, message_id);
CREATE INDEX rejected_events_received ON rejected_events (workspace_id, received_at, id);
`,
}
