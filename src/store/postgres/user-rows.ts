// Bulk reads and writes of users rows and identity records inside a transaction.
import type { IdentityRecord } from '../../model/identity.js'
import { rows, type Db } from './pool.js'
import { recordsByUser, type IdentityRow, type UserColumns, type UserRow } from './raw-rows.js'

export async function usersByOrd(db: Db, ws: number, ords: number[]): Promise<Map<number, UserRow>> {
  if (ords.length === 0) return new Map()
  const list = await rows<UserRow>(
    db,
    'SELECT user_ord, external_id, facts FROM users WHERE workspace_id = $1 AND user_ord = ANY($2::bigint[])',
    [ws, ords],
  )
  return new Map(list.map((r) => [r.user_ord, r]))
}

/**
 * Identity rows of the given ids and the users rows they point at, in one statement: the users read need not
 * wait for a round trip of its own (about 6 % more events per second in the bench, docs/performance.md step 11).
 */
export async function identitiesWithUsers(
  db: Db,
  ws: number,
  encodedIds: string[],
): Promise<{ identities: IdentityRow[]; users: Map<number, UserRow> }> {
  const list = await rows<IdentityRow & UserRow & { is_identity: boolean }>(
    db,
    `WITH ids AS (
       SELECT raw_id, user_ord, is_user, aliased, user_seen FROM identities
       WHERE workspace_id = $1 AND raw_id = ANY($2::text[]))
     SELECT true AS is_identity, raw_id, user_ord, is_user, aliased, user_seen,
       NULL::text AS external_id, NULL::jsonb AS facts FROM ids
     UNION ALL
     SELECT false, NULL, user_ord, NULL, NULL, NULL, external_id, facts FROM users
     WHERE workspace_id = $1 AND user_ord IN (SELECT user_ord FROM ids)`,
    [ws, encodedIds],
  )
  const identities: IdentityRow[] = []
  const users = new Map<number, UserRow>()
  for (const r of list) {
    if (r.is_identity) {
      identities.push({
        raw_id: r.raw_id,
        user_ord: r.user_ord,
        is_user: r.is_user,
        aliased: r.aliased,
        user_seen: r.user_seen,
      })
    } else users.set(r.user_ord, { user_ord: r.user_ord, external_id: r.external_id, facts: r.facts })
  }
  return { identities, users }
}

export async function identityRecords(
  db: Db,
  ws: number,
  ords: number[],
): Promise<Map<number, IdentityRecord[]>> {
  if (ords.length === 0) return new Map()
  return recordsByUser(
    await rows<IdentityRow>(
      db,
      `SELECT raw_id, user_ord, is_user, aliased, user_seen FROM identities
       WHERE workspace_id = $1 AND user_ord = ANY($2::bigint[])`,
      [ws, ords],
    ),
  )
}

const COLUMNS: Array<[keyof UserColumns, string, string]> = [
  ['ord', 'user_ord', 'bigint'],
  ['externalId', 'external_id', 'text'],
  ['status', 'status', 'text'],
  ['signedUpAt', 'signed_up_at', 'bigint'],
  ['firstPaymentAt', 'first_payment_at', 'bigint'],
  ['canceledAt', 'canceled_at', 'bigint'],
  ['firstSeen', 'first_seen', 'bigint'],
  ['lastSeen', 'last_seen', 'bigint'],
  ['email', 'email', 'text'],
  ['name', 'name', 'text'],
  ['facts', 'facts', 'text'],
  ['externalFold', 'external_fold', 'text'],
  ['emailFold', 'email_fold', 'text'],
  ['nameFold', 'name_fold', 'text'],
  ['signupDay', 'signup_day', 'int'],
]

/** Inserts or replaces users rows, one statement for all. */
/**
 * Writes users with the workspace's generation: a user the pass (or a rebuild) writes is counted with the
 * current settings (see store/core/migrate-users.ts).
 */
export async function upsertUsers(
  db: Db,
  ws: number,
  users: UserColumns[],
  generation: number,
): Promise<void> {
  if (users.length === 0) return
  const names = COLUMNS.map(([, column]) => column)
  const unnest = COLUMNS.map(([, , type], i) => `$${i + 3}::${type}[]`).join(', ')
  const select = names.map((n) => (n === 'facts' ? 'facts::jsonb' : n)).join(', ')
  const updates = [...names.filter((n) => n !== 'user_ord'), 'generation']
    .map((n) => `${n} = excluded.${n}`)
    .join(', ')
  await db.query(
    `INSERT INTO users (workspace_id, generation, ${names.join(', ')})
     SELECT $1::bigint, $2::bigint, ${select} FROM unnest(${unnest}) AS u(${names.join(', ')})
     ON CONFLICT (workspace_id, user_ord) DO UPDATE SET ${updates}`,
    [ws, generation, ...COLUMNS.map(([key]) => users.map((u) => u[key]))],
  )
}
