// The functions SQLite's user search needs, registered on every connection (the search index's triggers call
// tb_search_text: derived.ts): the text the trigram index holds is the casefolded External User ID, email and
// name, one per line. The search itself is core/user-search.ts.
import type Database from 'better-sqlite3'

/** SQLite's lower() and LIKE fold ASCII only; this folds any script. */
function casefold(s: unknown): string | null {
  return typeof s === 'string' ? s.toLowerCase() : null
}

export function registerSearchFunctions(db: Database.Database): void {
  db.function('tb_casefold', { deterministic: true }, casefold)
  db.function(
    'tb_search_text',
    { deterministic: true },
    (externalId: unknown, email: unknown, name: unknown) =>
      // SQLite's GLOB stops at a NUL character: one in an id must not hide the email and name after it.
      [externalId, email, name].map((v) => (casefold(v) ?? '').replaceAll('\0', ' ')).join('\n'),
  )
}
