// Migration 5. Rebuilds in slices (settings generations, progress), rejected events by subject.
// Both dialects' DDL side by side; never edit an applied migration's text: add a migration instead.
import type { Migration } from './migration.js'

export const rebuildSlices: Migration = {
  version: 5,
  name: 'rebuilds in slices, rejected events by subject',
  sqlite: `
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
  postgres: `
-- A rebuild walks a workspace's users in slices (src/store/postgres/rebuild.ts). A user whose generation is
-- behind the workspace's is still counted with the settings of their generation, kept in settings_generations
-- until the rebuild is done; rebuilds holds the progress of each running one.
ALTER TABLE workspaces ADD COLUMN generation bigint NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN generation bigint NOT NULL DEFAULT 0;
CREATE TABLE settings_generations (
  workspace_id bigint NOT NULL,
  generation bigint NOT NULL,
  timezone text NOT NULL,
  currency text NOT NULL,
  event_mapping text NOT NULL,
  PRIMARY KEY (workspace_id, generation)
);
CREATE TABLE rebuilds (
  workspace_id bigint PRIMARY KEY,
  cursor bigint NOT NULL DEFAULT 0,
  done_events bigint NOT NULL DEFAULT 0,
  total_events bigint NOT NULL,
  started_at bigint NOT NULL,
  slices bigint NOT NULL DEFAULT 0
);

-- The userId (else anonymousId) a rejected message named, so that a privacy deletion finds its rejections.
ALTER TABLE rejected_events ADD COLUMN subject text;
CREATE INDEX rejected_events_subject ON rejected_events (workspace_id, subject) WHERE subject IS NOT NULL;
`,
}
