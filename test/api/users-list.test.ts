// GET /api/v1/users: filters, sorts, keyset pagination, parameter errors and tenant isolation, over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { basic, startTestServer, type TestServer } from '../helpers/server.js'

let server: TestServer
const at = (day: number, hour = 9) =>
  `2024-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`

/** Users in the order they are first seen (so their user ordinals are in this order). */
const USERS = [
  'ada',
  'bob',
  'Émile',
  'carol',
  'dan',
  '50%_off',
  '50 off',
  'tie-1',
  'tie-2',
  'tie-3',
  'eve',
  'frank',
] as const

// One batch: user ordinals are allocated in this order.
const batch: Record<string, unknown>[] = [
  ...USERS.map((userId) => ({ type: 'identify', userId, timestamp: at(1) })),
  { type: 'page', anonymousId: 'anon-only', timestamp: at(20) },
  {
    type: 'identify',
    userId: 'ada',
    traits: {
      email: 'Ada@Example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      plan: 'pro',
      seats: 3,
      beta: true,
    },
    timestamp: at(2),
  },
  { type: 'track', userId: 'ada', event: 'signup', timestamp: at(2) },
  { type: 'track', userId: 'ada', event: 'Payment Made', properties: { amount: 100 }, timestamp: at(3) },
  { type: 'track', userId: 'ada', event: 'Refund Received', properties: { amount: 10 }, timestamp: at(4) },
  {
    type: 'identify',
    userId: 'bob',
    traits: { email: 'bob@corp.io', name: 'Bob Marley', plan: 'free' },
    timestamp: at(5),
  },
  { type: 'track', userId: 'bob', event: 'signup', timestamp: at(5) },
  {
    type: 'track',
    userId: 'bob',
    event: 'Payment Made',
    properties: { amount: 500, currency: 'EUR' },
    timestamp: at(6),
  },
  { type: 'track', userId: 'bob', event: 'cancel', timestamp: at(7) },
  {
    type: 'identify',
    userId: 'Émile',
    traits: { name: 'ÉMILE ZOLA', plan: 'pro', 'odd.key "x"': 'y\\z' },
    timestamp: at(8),
  },
  { type: 'track', userId: 'Émile', event: 'Payment Made', properties: { amount: 250 }, timestamp: at(8) },
  { type: 'identify', userId: 'carol', traits: { email: 'carol@example.com', seats: '3' }, timestamp: at(9) },
  { type: 'track', userId: 'carol', event: 'signup', timestamp: at(9) },
  { type: 'track', userId: 'carol', event: 'Refund Received', properties: { amount: 5 }, timestamp: at(10) },
  // Audiences: dan is in vip; eve entered and left it.
  {
    type: 'identify',
    userId: 'dan',
    traits: { vip: true },
    context: { personas: { computation_class: 'audience', computation_key: 'vip' } },
    timestamp: at(11),
  },
  {
    type: 'track',
    userId: 'eve',
    event: 'Audience Entered',
    properties: { audience_key: 'vip' },
    timestamp: at(11),
  },
  {
    type: 'track',
    userId: 'eve',
    event: 'Audience Exited',
    properties: { audience_key: 'vip' },
    timestamp: at(12),
  },
  {
    type: 'track',
    userId: 'frank',
    event: 'Audience Entered',
    properties: { audience_key: 'a"b.c' },
    timestamp: at(12),
  },
  // The tie-* users share last_seen and first_seen; so do 50%_off and 50 off.
  { type: 'track', userId: 'tie-1', event: 'x', timestamp: at(15) },
  { type: 'track', userId: 'tie-2', event: 'x', timestamp: at(15) },
  { type: 'track', userId: 'tie-3', event: 'x', timestamp: at(15) },
  { type: 'track', userId: 'tie-2', event: 'signup', timestamp: at(13) },
  { type: 'track', userId: 'tie-3', event: 'signup', timestamp: at(13) },
  { type: 'track', userId: '50%_off', event: 'x', timestamp: at(16) },
  { type: 'track', userId: '50 off', event: 'x', timestamp: at(16) },
]

async function list(
  query: string,
  s: TestServer = server,
): Promise<{ users: any[]; next_cursor: string | null }> {
  const res = await s.get(`/api/v1/users${query === '' ? '' : `?${query}`}`)
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return res.body
}
const ids = async (query: string) => (await list(query)).users.map((u) => u.external_id)

/** Follows next_cursor to the end; the ids in page order. */
async function walk(query: string, limit: number): Promise<string[]> {
  const seen: string[] = []
  let cursor: string | null = null
  for (let pages = 0; pages < 100; pages++) {
    const page = await list(`${query}&limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`)
    expect(page.users.length).toBeLessThanOrEqual(limit)
    seen.push(...page.users.map((u) => u.external_id))
    cursor = page.next_cursor
    if (cursor === null) return seen
    expect(page.users).toHaveLength(limit)
  }
  throw new Error('too many pages')
}

beforeAll(async () => {
  server = await startTestServer()
  const res = await server.post('/v1/batch', { batch }, basic(server.token))
  expect(res.body).toMatchObject({ accepted: batch.length, rejected: [] })
})
afterAll(() => server.close())

describe('GET /api/v1/users listing', () => {
  it('lists every user with a userId, never anonymous profiles, in the read API shape', async () => {
    const { users, next_cursor } = await list('')
    expect(users.map((u) => u.external_id).sort()).toEqual([...USERS].sort())
    expect(next_cursor).toBeNull()
    const ada = users.find((u) => u.external_id === 'ada')
    expect(ada).toEqual((await server.get('/api/v1/users/ada')).body)
    expect(ada.earnings).toMatchObject({ payments: 100, refunds: 10, net: 90, currency: 'USD' })
  })

  it('accepts the workspace in the query string, as links from the dashboard give it', async () => {
    const res = await server.get(`/api/v1/users?workspace=${server.workspaceId}&sort=external_id`)
    expect(res.status).toBe(200)
    expect(res.body.users).toHaveLength(USERS.length)
  })

  it('sorts by -last_seen by default, ties by user order', async () => {
    expect(await ids('')).toEqual(await ids('sort=-last_seen'))
    expect((await ids('')).slice(0, 5)).toEqual(['50 off', '50%_off', 'tie-3', 'tie-2', 'tie-1'])
  })
})

describe('filters', () => {
  it.each([
    ['ada', ['ada']],
    ['ADA', ['ada']],
    ['example.COM', ['ada', 'carol']],
    ['lovelace', ['ada']],
    ['marley', ['bob']],
    ['émile', ['Émile']],
    ['zola', ['Émile']],
    ['%', ['50%_off']],
    ['_', ['50%_off']],
    ['0%_', ['50%_off']],
    ['50', ['50 off', '50%_off']],
    ['tie-', ['tie-1', 'tie-2', 'tie-3']],
    ['nobody', []],
  ])('query=%j matches the External User ID, email or name case-insensitively', async (q, expected) => {
    expect((await ids(`query=${encodeURIComponent(q)}&sort=external_id`)).sort()).toEqual(
      [...expected].sort(),
    )
  })

  it('filters by status', async () => {
    expect(await ids('status=canceled')).toEqual(['bob'])
    expect((await ids('status=active')).sort()).toEqual(USERS.filter((u) => u !== 'bob').sort())
  })

  it('filters by current audience membership', async () => {
    expect(await ids('audience=vip')).toEqual(['dan'])
    expect(await ids(`audience=${encodeURIComponent('a"b.c')}`)).toEqual(['frank'])
    expect(await ids('audience=nope')).toEqual([])
  })

  it('filters by attributes compared as text, all of them together', async () => {
    expect((await ids('attribute.plan=pro')).sort()).toEqual(['ada', 'Émile'].sort())
    expect((await ids('attribute.seats=3')).sort()).toEqual(['ada', 'carol'])
    expect(await ids('attribute.beta=true')).toEqual(['ada'])
    expect(await ids('attribute.plan=pro&attribute.seats=3')).toEqual(['ada'])
    expect(await ids('attribute.plan=PRO')).toEqual([])
    expect(await ids(`attribute.${encodeURIComponent('odd.key "x"')}=${encodeURIComponent('y\\z')}`)).toEqual(
      ['Émile'],
    )
    expect(await ids('attribute.name=Ada%20Lovelace')).toEqual(['ada'])
    expect(await ids('attribute.__proto__=x')).toEqual([])
    expect(await ids('attribute.constructor=x')).toEqual([])
  })

  it('combines filters with a query and a sort', async () => {
    expect(await ids('query=example&attribute.seats=3&sort=external_id')).toEqual(['ada', 'carol'])
    expect(await ids('status=active&attribute.plan=pro&sort=-earnings')).toEqual(['Émile', 'ada'])
  })
})

describe('sorts', () => {
  it('sorts by external_id both ways', async () => {
    const asc = [...USERS].sort()
    expect(await ids('sort=external_id')).toEqual(asc)
    expect(await ids('sort=-external_id')).toEqual([...asc].reverse())
  })

  it('breaks ties by user order in both directions', async () => {
    const last = await ids('sort=last_seen&query=tie')
    expect(last).toEqual(['tie-1', 'tie-2', 'tie-3'])
    expect(await ids('sort=-last_seen&query=tie')).toEqual(['tie-3', 'tie-2', 'tie-1'])
    // Every user shares first_seen (the first identify): the order is the user order.
    expect(await ids('sort=first_seen')).toEqual([...USERS])
    expect(await ids('sort=-first_seen')).toEqual([...USERS].reverse())
  })

  it('sorts by net earnings in the workspace currency (other currencies count as 0)', async () => {
    const asc = await ids('sort=earnings')
    // carol −5; bob's EUR payment and everyone else 0, in user order; ada 90; Émile 250.
    const zero = USERS.filter((u) => !['carol', 'ada', 'Émile'].includes(u))
    expect(asc).toEqual(['carol', ...zero, 'ada', 'Émile'])
    expect(await ids('sort=-earnings')).toEqual(['Émile', 'ada', ...[...zero].reverse(), 'carol'])
  })

  it('sorts by signed_up_at with users who never signed up last, both ways', async () => {
    const none = USERS.filter((u) => !['ada', 'bob', 'carol', 'tie-2', 'tie-3'].includes(u))
    expect(await ids('sort=signed_up_at')).toEqual(['ada', 'bob', 'carol', 'tie-2', 'tie-3', ...none])
    expect(await ids('sort=-signed_up_at')).toEqual([
      'tie-3',
      'tie-2',
      'carol',
      'bob',
      'ada',
      ...[...none].reverse(),
    ])
  })
})

describe('pagination', () => {
  const sorts = ['last_seen', 'first_seen', 'external_id', 'earnings', 'signed_up_at']
  for (const sort of [...sorts, ...sorts.map((s) => `-${s}`)]) {
    it(`visits every user exactly once, in order, sorted by ${sort}`, async () => {
      const all = await ids(`sort=${sort}&limit=1000`)
      expect(all).toHaveLength(USERS.length)
      for (const limit of [1, 2, 5, USERS.length - 1, USERS.length]) {
        expect(await walk(`sort=${sort}`, limit), `limit ${limit}`).toEqual(all)
      }
    })
  }

  it('pages through a filtered listing', async () => {
    expect(await walk('query=tie&sort=-last_seen', 1)).toEqual(['tie-3', 'tie-2', 'tie-1'])
    expect(await walk('status=active&sort=earnings', 3)).toEqual(await ids('status=active&sort=earnings'))
  })

  it('answers next_cursor null on the last page, even when it is full', async () => {
    const first = await list('query=tie&limit=2&sort=external_id')
    expect(first.next_cursor).toEqual(expect.any(String))
    const second = await list(`query=tie&limit=2&sort=external_id&cursor=${first.next_cursor}`)
    expect(second.users.map((u) => u.external_id)).toEqual(['tie-3'])
    expect(second.next_cursor).toBeNull()
    expect((await list('query=tie&limit=3')).next_cursor).toBeNull()
  })

  it('defaults to 50 per page and caps limit at 1000', async () => {
    expect((await list('limit=5000')).users).toHaveLength(USERS.length)
  })
})

describe('bad parameters', () => {
  const first = async () => (await list('limit=1&sort=external_id')).next_cursor!

  it.each([
    ['an unknown sort', 'sort=name', /"sort".*last_seen, first_seen, external_id, earnings, signed_up_at/],
    ['a sort with two dashes', 'sort=--last_seen', /"sort"/],
    ['a bad status', 'status=deleted', /"status".*active or canceled/],
    ['a status given twice', 'status=active&status=canceled', /"status": must be given once/],
    ['a zero limit', 'limit=0', /"limit"/],
    ['a negative limit', 'limit=-3', /"limit"/],
    ['a non-numeric limit', 'limit=ten', /"limit"/],
    ['a fractional limit', 'limit=1.5', /"limit"/],
    ['a malformed cursor', 'cursor=not*base64', /"cursor"/],
    ['a cursor that is not one', `cursor=${Buffer.from('{"a":1}').toString('base64url')}`, /"cursor"/],
    ['an unknown parameter', 'attributes.plan=pro', /unknown parameter "attributes.plan"/],
    ['an attribute without a name', 'attribute.=x', /attribute name/],
  ])('refuses %s with 400 invalid_parameter', async (_name, query, message) => {
    const res = await server.get(`/api/v1/users?${query}`)
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('invalid_parameter')
    expect(res.body.error.message).toMatch(message)
  })

  it('refuses a cursor from another sort', async () => {
    const res = await server.get(`/api/v1/users?sort=-external_id&cursor=${await first()}`)
    expect(res.status).toBe(400)
    expect(res.body.error).toMatchObject({
      code: 'invalid_parameter',
      message: expect.stringMatching(/sort/),
    })
  })

  it('lists every problem at once', async () => {
    const res = await server.get('/api/v1/users?sort=nope&status=nope&limit=0')
    expect(res.status).toBe(400)
    expect(res.body.error.message).toMatch(/"sort"/)
    expect(res.body.error.message).toMatch(/"status"/)
  })

  it('needs the api_key', async () => {
    expect((await server.get('/api/v1/users', {})).status).toBe(401)
    expect((await server.get('/api/v1/users', { authorization: `Bearer ${server.token}` })).status).toBe(401)
  })
})

describe('tenant isolation', () => {
  it("a second workspace's api_key sees only its own users", async () => {
    const other = await server.store.workspaces.create({ name: 'Other', timezone: 'UTC', currency: 'USD' })
    const mine = [
      {
        type: 'identify',
        userId: 'ada',
        traits: { plan: 'pro', email: 'other-ada@example.com' },
        timestamp: at(1),
      },
      { type: 'identify', userId: 'zed', traits: { plan: 'pro' }, timestamp: at(2) },
    ]
    expect((await server.post('/v1/batch', { batch: mine }, basic(other.token))).body).toMatchObject({
      accepted: 2,
    })
    const auth = { authorization: `Bearer ${other.apiKey}` }
    const get = async (query: string) => (await server.get(`/api/v1/users?${query}`, auth)).body
    expect((await get('sort=external_id')).users.map((u: any) => u.external_id)).toEqual(['ada', 'zed'])
    expect((await get('query=lovelace')).users).toEqual([])
    expect(
      (await get('attribute.plan=pro&sort=external_id')).users.map((u: any) => u.attributes.email),
    ).toEqual(['other-ada@example.com', undefined])
    // A cursor of the first workspace only positions the second one's listing.
    const cursor = (await list('sort=external_id&limit=3')).next_cursor // after ("ada", user 1)
    expect((await get(`sort=external_id&cursor=${cursor}`)).users.map((u: any) => u.external_id)).toEqual([
      'zed',
    ])
    expect(await ids('query=zed')).toEqual([])
    expect(await ids('query=other-ada')).toEqual([])
  })
})
