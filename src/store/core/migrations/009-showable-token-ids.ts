// Migration 9. A write Token ID may be kept in clear (tokens.token_clear) so Settings > Integrations can show
// it to every member: it is a write-only key that ships in web pages, as Segment, PostHog and Plausible show
// theirs. The CHECK keeps api_keys hashed only, whatever the code does. Rows written before stay hash-only
// until their Token ID next authenticates a request (src/ingest/workspace-resolver.ts) or is rotated.
// A share link's token, a read credential, is kept sealed (share_links.token_sealed: AES-256-GCM under a key
// that is not in the database, src/share-key.ts) so an owner can copy the link again; links made before have
// none and cannot be copied again (docs/decisions.md).
import type { Migration } from './migration.js'

export const showableTokenIds: Migration = {
  version: 9,
  name: 'showable token ids, sealed share links',
  sqlite: `
ALTER TABLE tokens ADD COLUMN token_clear TEXT CHECK (token_clear IS NULL OR kind = 'write');
ALTER TABLE share_links ADD COLUMN token_sealed TEXT;
`,
  postgres: `
ALTER TABLE tokens ADD COLUMN token_clear text CHECK (token_clear IS NULL OR kind = 'write');
ALTER TABLE share_links ADD COLUMN token_sealed text;
`,
}
