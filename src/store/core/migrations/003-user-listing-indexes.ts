// Migration 3. Indexes of the user listing and of the events export.
// Both dialects' DDL side by side; never edit an applied migration's text: add a migration instead.
import type { Migration } from './migration.js'

export const userListingIndexes: Migration = {
  version: 3,
  name: 'user listing and export indexes',
  sqlite: `
-- GET /api/v1/users sorted by last_seen (the default) or first_seen: a page reads about limit rows whatever the
-- number of users. Partial: anonymous profiles are never listed, so they cost nothing here.
CREATE INDEX users_last_seen ON users (workspace_id, last_seen, user_ord) WHERE external_id IS NOT NULL;
CREATE INDEX users_first_seen ON users (workspace_id, first_seen, user_ord) WHERE external_id IS NOT NULL;

-- The events export in (event_time, message_id) order: each chunk of 1,000 starts where the last one ended
-- instead of scanning the workspace. message_id is left out to keep the index small (ties are few per instant).
CREATE INDEX events_time ON events (workspace_id, event_time);
`,
  postgres: `
CREATE INDEX users_last_seen ON users (workspace_id, last_seen, user_ord) WHERE external_id IS NOT NULL;
CREATE INDEX users_first_seen ON users (workspace_id, first_seen, user_ord) WHERE external_id IS NOT NULL;
CREATE INDEX events_time ON events (workspace_id, event_time, message_id);
`,
}
