// Migration 8. A workspace may ask that browsers' privacy signals (Do-Not-Track, Global Privacy Control) be
// honoured at ingestion (src/ingest/privacy.ts): off by default, so nothing changes for existing workspaces.
// It decides what is stored from now on, never what was counted: no rebuild (rebuild_needed left as it is).
import type { Migration } from './migration.js'

export const privacySignals: Migration = {
  version: 8,
  name: 'respect privacy signals',
  sqlite: `
ALTER TABLE workspaces ADD COLUMN respect_privacy_signals INTEGER NOT NULL DEFAULT 0;
`,
  postgres: `
ALTER TABLE workspaces ADD COLUMN respect_privacy_signals boolean NOT NULL DEFAULT false;
`,
}
