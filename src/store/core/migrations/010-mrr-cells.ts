// Migration 10. Retention from cells (model/mrr-cells.ts, metrics/mrr-retention.ts): each MRR change knows its
// subscription spell (spell_start; on a change that starts a spell after an earlier one, that spell's first
// and last days), and mrr_cells sums the changes by day and spell start. The retention metrics of a range then
// read a few hundred cells and a few users' changes, not every change of the range.
//
// Existing rows have no spell yet, so every workspace is marked rebuild_needed: the server rebuilds it in
// slices at start (store/rebuild-runner.ts), which fills both.
import type { Migration } from './migration.js'

export const mrrCells: Migration = {
  version: 10,
  name: 'MRR changes by subscription spell, and their cells',
  sqlite: `
ALTER TABLE mrr_changes ADD COLUMN spell_start INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mrr_changes ADD COLUMN prev_spell_start INTEGER;
ALTER TABLE mrr_changes ADD COLUMN prev_spell_end INTEGER;
-- Today's changes are read by day; they now carry their spell.
DROP INDEX mrr_changes_day;
CREATE INDEX mrr_changes_day ON mrr_changes
  (workspace_id, day, user_ord, from_micros, to_micros, now_micros, first_positive, spell_start);
-- The changes of the spells begun on some days (a range starting within a month, metrics/mrr-retention.ts).
CREATE INDEX mrr_changes_spell ON mrr_changes (workspace_id, spell_start, day);
-- The rises that can lift a subscriber above their MRR at a range's start: within a spell, or a new spell
-- right after one.
CREATE INDEX mrr_changes_rises ON mrr_changes
  (workspace_id, day, user_ord, from_micros, spell_start, prev_spell_start, prev_spell_end)
  WHERE to_micros > from_micros AND (from_micros > 0 OR prev_spell_end IS NOT NULL);

CREATE TABLE mrr_cells (
  workspace_id INTEGER NOT NULL,
  day INTEGER NOT NULL,
  spell_key INTEGER NOT NULL,
  churns INTEGER NOT NULL,
  delta_micros INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, day, spell_key)
) WITHOUT ROWID;

UPDATE workspaces SET rebuild_needed = 1;
`,
  postgres: `
ALTER TABLE mrr_changes ADD COLUMN spell_start integer NOT NULL DEFAULT 0,
  ADD COLUMN prev_spell_start integer,
  ADD COLUMN prev_spell_end integer;
CREATE INDEX mrr_changes_spell ON mrr_changes (workspace_id, spell_start, day);
CREATE INDEX mrr_changes_rises ON mrr_changes (workspace_id, day)
  WHERE to_micros > from_micros AND (from_micros > 0 OR prev_spell_end IS NOT NULL);

CREATE TABLE mrr_cells (
  workspace_id bigint NOT NULL,
  day integer NOT NULL,
  spell_key integer NOT NULL,
  churns bigint NOT NULL,
  delta_micros numeric NOT NULL,
  PRIMARY KEY (workspace_id, day, spell_key)
);

UPDATE workspaces SET rebuild_needed = true;
`,
}
