// GET /api/v1/users: list and search the users that have a userId, with filters, a sort and a cursor.
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { TbError } from '../errors.js'
import { USER_SORTS, type Store, type UserQuery, type UserSortKey } from '../store/types.js'
import { workspaceOf } from './metrics.js'
import { limitParam } from './query-schema.js'
import { userView } from './users.js'
import { userSchemas } from './users-schema.js'

/** The sub-stores these routes use. */
type Stores = Pick<Store, 'users' | 'workspaces'>

const ATTRIBUTE_PREFIX = 'attribute.'
const DEFAULT_SORT = '-last_seen'
const DEFAULT_LIMIT = 50
const MAX_LIMIT = 1000

/** An optional single value; an empty one counts as absent. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional())
const once = z.string({ error: 'must be given once' })

const listParams = z.strictObject(
  {
    query: optional(once),
    status: optional(once.pipe(z.enum(['active', 'canceled'], { error: 'must be active or canceled' }))),
    audience: optional(once),
    sort: optional(
      once.refine(
        (s) => (USER_SORTS as readonly string[]).includes(s.replace(/^-/, '')),
        `must be one of ${USER_SORTS.join(', ')}, with a leading - for descending order`,
      ),
    ),
    limit: optional(once),
    cursor: optional(once),
    // Chooses the workspace (read by the auth hook); a link can't send the X-Workspace-Id header.
    workspace: optional(once),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown parameter ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}; expected query, status, audience, attribute.KEY, sort, limit, cursor or workspace`
        : undefined,
  },
)

const limitSchema = limitParam(DEFAULT_LIMIT, MAX_LIMIT)

export type UserListParams = Record<string, string | string[] | undefined>

/**
 * The query string of GET /api/v1/users as a UserQuery; every problem is listed in one 400 (its message is the
 * issue's). The route's schema runs it before the handler.
 */
export const userListQuery = z
  .record(z.string(), z.unknown())
  .transform((raw, ctx): UserQuery | typeof z.NEVER => {
    try {
      return parseUserListQuery(raw as UserListParams)
    } catch (error) {
      if (!(error instanceof TbError)) throw error
      ctx.addIssue({ code: 'custom', message: error.message, input: raw })
      return z.NEVER
    }
  })

function parseUserListQuery(raw: UserListParams): UserQuery {
  // No prototype: attribute.__proto__ is a filter like any other.
  const attributes: Record<string, string> = Object.create(null) as Record<string, string>
  const problems: string[] = []
  const rest: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(raw)) {
    if (!name.startsWith(ATTRIBUTE_PREFIX)) {
      rest[name] = value
      continue
    }
    const key = name.slice(ATTRIBUTE_PREFIX.length)
    if (key === '') problems.push('"attribute.": needs an attribute name, as in attribute.plan=pro')
    else if (typeof value !== 'string') problems.push(`"${name}": must be given once`)
    else attributes[key] = value
  }
  const parsed = listParams.safeParse(rest)
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(issue.path.length === 0 ? issue.message : `"${issue.path.join('.')}": ${issue.message}`)
    }
  }
  if (problems.length > 0 || !parsed.success) throw new TbError('invalid_parameter', problems.join('; '))
  const p = parsed.data
  const limit = limitSchema.safeParse(p.limit)
  if (!limit.success) throw new TbError('invalid_parameter', limit.error.issues[0]!.message)
  const sort = p.sort ?? DEFAULT_SORT
  return {
    query: p.query,
    status: p.status,
    audience: p.audience,
    attributes: Object.keys(attributes).length > 0 ? attributes : undefined,
    sort: sort.replace(/^-/, '') as UserSortKey,
    descending: sort.startsWith('-'),
    limit: limit.data,
    cursor: p.cursor,
  }
}

export function userListRoutes(app: FastifyInstance, store: Stores): void {
  app.get<{ Querystring: UserQuery }>(
    '/api/v1/users',
    { schema: userSchemas.list(userListQuery, listParams) },
    async (request) => {
      const query = request.query
      const ws = await workspaceOf(store, request.workspaceId)
      const page = await store.users.search(ws.id, query)
      return { users: page.users.map((u) => userView(u, ws)), next_cursor: page.nextCursor }
    },
  )
}
