// The trigram index behind GET /api/v1/users?query= (SQLite, src/store/sqlite/derived.ts) must find exactly the users whose
// casefolded External User ID, email or name contains the casefolded term — the definition the row-by-row
// scan implements — including GLOB's special characters, non-ASCII case folding, and users renamed, merged or
// deleted after they were indexed.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, expect, it } from 'vitest'
import { prepareMessages } from '../../src/ingest/prepare.js'
import { DEFAULT_EVENT_MAPPING } from '../../src/model/types.js'
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'

const dir = mkdtempSync(join(tmpdir(), 'tb-search-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const settings = { timezone: 'UTC', currency: 'USD', eventMapping: DEFAULT_EVENT_MAPPING }
const T0 = Date.parse('2024-03-01T00:00:00Z')

const ALPHABET = ['a', 'B', 'é', 'É', '*', '?', '[', ']', '%', '_', ' ', '.', '@', 'K', 'İ', 'ß', '1']
const word = fc.array(fc.constantFrom(...ALPHABET), { minLength: 1, maxLength: 8 }).map((cs) => cs.join(''))

it('finds exactly the users whose id, email or name contains the term', async () => {
  const store = new SqliteStore({ path: join(dir, 'tb.db') })
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(word, word, word), { minLength: 1, maxLength: 12 }),
      fc.array(word, { minLength: 1, maxLength: 6 }),
      async (people, terms) => {
        const ws = (await store.workspaces.create({ name: 'S', timezone: 'UTC', currency: 'USD' })).id
        // Each user is identified twice: the second identify renames them (the index must follow).
        const messages = people.flatMap(([id, email, name], i) => [
          {
            type: 'identify',
            userId: `${id}#${i}`,
            traits: { email: 'old', name: 'old' },
            messageId: `a${i}`,
            timestamp: new Date(T0 + i).toISOString(),
          },
          {
            type: 'identify',
            userId: `${id}#${i}`,
            traits: { email, name },
            messageId: `b${i}`,
            timestamp: new Date(T0 + 1000 + i).toISOString(),
          },
        ])
        await store.ingest.commit([prepareMessages(ws, settings, messages, undefined, T0 + 10_000).batch])
        if (people.length > 1) await store.users.delete(ws, `${people[0]![0]}#0`)
        const alive = people
          .map(([id, email, name], i) => ({ ext: `${id}#${i}`, email, name }))
          .filter((_, i) => people.length === 1 || i > 0)
        const queries = [...terms, ...people.map(([id]) => id.slice(1, 4)), 'old']
        for (const term of queries) {
          const q = term.toLowerCase()
          const expected = alive
            .filter((u) => [u.ext, u.email, u.name].some((f) => f.toLowerCase().includes(q)))
            .map((u) => u.ext)
            .sort()
          const page = await store.users.search(ws, {
            query: term,
            sort: 'external_id',
            descending: false,
            limit: 1000,
          })
          expect(page.users.map((u) => u.externalId).sort(), JSON.stringify(term)).toEqual(expected)
        }
      },
    ),
    { numRuns: 60 },
  )
  await store.close()
}, 60_000)
