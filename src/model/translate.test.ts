import { describe, expect, it } from 'vitest'
import type { Warning } from '../errors.js'
import { translate } from './translate.js'
import { DEFAULT_EVENT_MAPPING, type TbEvent } from './types.js'
import { validateMessage } from './validate.js'

const settings = { timezone: 'UTC', currency: 'USD', eventMapping: DEFAULT_EVENT_MAPPING }
const times = { eventTime: 1, receivedAt: 1, sentAt: null, clientTime: null }

function run(message: Record<string, unknown>, s = settings, warnings?: Warning[]) {
  const valid = validateMessage(message)
  if ('code' in valid) return valid
  return translate(valid, 'm1', times, JSON.stringify(message), s, warnings)
}

function event(message: Record<string, unknown>): TbEvent {
  const out = run(message)
  if ('code' in out) throw new Error(`rejected: ${out.code}`)
  return out
}

describe('translate', () => {
  it('maps page and screen to visits, identify with userId to login', () => {
    expect(event({ type: 'page', anonymousId: 'a' }).kind).toBe('visit')
    expect(event({ type: 'screen', userId: 'u' }).kind).toBe('visit')
    expect(event({ type: 'identify', userId: 'u' }).kind).toBe('login')
    expect(event({ type: 'identify', anonymousId: 'a' }).kind).toBe('identify')
  })

  it('recognises the seed special events exactly as spelled', () => {
    expect(event({ type: 'track', userId: 'u', event: 'Payment Made', properties: { amount: 5 } }).kind).toBe(
      'payment',
    )
    expect(
      event({ type: 'track', userId: 'u', event: 'Refund Received', properties: { amount: 5 } }).kind,
    ).toBe('refund')
    expect(event({ type: 'track', userId: 'u', event: 'cancel' }).kind).toBe('cancel')
    expect(event({ type: 'track', userId: 'u', event: 'signup' }).kind).toBe('signup')
    expect(event({ type: 'track', userId: 'u', event: 'Signup' }).kind).toBe('custom')
    expect(event({ type: 'track', userId: 'u', event: 'payment made' }).kind).toBe('custom')
  })

  it('takes the first numeric of amount, revenue, total, value, stripping $ and separators', () => {
    const pay = (properties: Record<string, unknown>) =>
      event({ type: 'track', userId: 'u', event: 'Payment Made', properties }).amountMicros
    expect(pay({ amount: 10, revenue: 20 })).toBe(10_000_000)
    expect(pay({ amount: 'n/a', revenue: '$1,299.50' })).toBe(1_299_500_000)
    expect(pay({ total: '19.99' })).toBe(19_990_000)
    expect(pay({ value: 0 })).toBe(0)
  })

  it('upper-cases the currency and defaults to the workspace currency', () => {
    const e = event({
      type: 'track',
      userId: 'u',
      event: 'Payment Made',
      properties: { amount: 1, currency: 'eur' },
    })
    expect(e.currency).toBe('EUR')
    expect(
      event({ type: 'track', userId: 'u', event: 'Payment Made', properties: { amount: 1 } }).currency,
    ).toBe('USD')
  })

  it('rejects payments without a valid non-negative amount and cancel/signup without userId', () => {
    expect(run({ type: 'track', userId: 'u', event: 'Payment Made', properties: {} })).toMatchObject({
      code: 'invalid_amount',
    })
    expect(
      run({ type: 'track', userId: 'u', event: 'Refund Received', properties: { amount: -3 } }),
    ).toMatchObject({
      code: 'invalid_amount',
    })
    expect(run({ type: 'track', anonymousId: 'a', event: 'cancel' })).toMatchObject({
      code: 'missing_user_id',
    })
    expect(run({ type: 'track', anonymousId: 'a', event: 'signup' })).toMatchObject({
      code: 'missing_user_id',
    })
  })

  it('uses workspace synonyms from the event mapping', () => {
    const mapped = {
      ...settings,
      eventMapping: { ...DEFAULT_EVENT_MAPPING, signup: ['signup', 'Signed Up'] },
    }
    const out = run({ type: 'track', userId: 'u', event: 'Signed Up' }, mapped)
    expect('code' in out ? out.code : out.kind).toBe('signup')
  })

  it('stores reserved snake_case traits under camelCase and keeps nested values', () => {
    const e = event({
      type: 'identify',
      userId: 'u',
      traits: { first_name: 'Ada', last_name: 'L', plan: { tier: 2 } },
    })
    expect(e.attributes).toEqual({ firstName: 'Ada', lastName: 'L', name: 'Ada L', plan: { tier: 2 } })
  })

  it('turns group calls into group_id and group attributes', () => {
    const e = event({
      type: 'group',
      userId: 'u',
      groupId: 'g1',
      traits: { name: 'Acme', employee_count: 3 },
    })
    expect(e.attributes).toEqual({ group_id: 'g1', group: { name: 'Acme', employee_count: 3 } })
  })

  it('reads Personas audience membership from identify traits and Audience Entered/Exited', () => {
    const personas = { computation_class: 'audience', computation_key: 'vip' }
    const e = event({ type: 'identify', userId: 'u', traits: { vip: true }, context: { personas } })
    expect(e.audiences).toEqual([{ key: 'vip', member: true }])
    expect(e.attributes).toEqual({ vip: true })
    const exited = event({
      type: 'track',
      userId: 'u',
      event: 'Audience Exited',
      properties: { audience_key: 'vip' },
    })
    expect(exited.audiences).toEqual([{ key: 'vip', member: false }])
  })

  it('keeps __proto__ trait keys as plain attributes', () => {
    const message = JSON.parse(
      '{"type":"identify","userId":"u","traits":{"__proto__":{"x":1},"first_name":"A"}}',
    )
    const e = event(message)
    expect(Object.getPrototypeOf(e.attributes)).toBe(Object.prototype)
    expect(Object.keys(e.attributes!)).toContain('__proto__')
  })

  describe('recurring payments', () => {
    /** The payment's billing period and the warnings translating it gave. */
    function paid(properties: Record<string, unknown>, name = 'Payment Made') {
      const warnings: Warning[] = []
      const out = run(
        { type: 'track', userId: 'u', event: name, properties: { amount: 30, ...properties } },
        settings,
        warnings,
      )
      if ('code' in out) throw new Error(`rejected: ${out.code}`)
      return { recurring: out.recurring, warnings, event: out }
    }

    it('reads the five intervals and their synonyms in any case', () => {
      const cases: Array<[string, string]> = [
        ['day', 'day'],
        ['daily', 'day'],
        ['week', 'week'],
        ['Weekly', 'week'],
        ['month', 'month'],
        ['MONTHLY', 'month'],
        ['Month', 'month'],
        ['quarter', 'quarter'],
        ['quarterly', 'quarter'],
        ['year', 'year'],
        ['yearly', 'year'],
        ['annual', 'year'],
        ['Annual', 'year'],
      ]
      for (const [interval, canonical] of cases) {
        expect(paid({ interval }), interval).toEqual({
          recurring: { interval: canonical, count: 1 },
          warnings: [],
          event: expect.anything(),
        })
      }
    })

    it('reads interval_count as a whole number 1-1000, numeric strings included; absent or null is 1', () => {
      expect(paid({ interval: 'month', interval_count: 3 }).recurring).toEqual({
        interval: 'month',
        count: 3,
      })
      expect(paid({ interval: 'month', interval_count: '3' }).recurring).toEqual({
        interval: 'month',
        count: 3,
      })
      expect(paid({ interval: 'week', interval_count: ' 2 ' }).recurring).toEqual({
        interval: 'week',
        count: 2,
      })
      expect(paid({ interval: 'year', interval_count: 1000 }).recurring).toEqual({
        interval: 'year',
        count: 1000,
      })
      expect(paid({ interval: 'day', interval_count: null }).recurring).toEqual({ interval: 'day', count: 1 })
      expect(paid({ interval: 'day' }).recurring).toEqual({ interval: 'day', count: 1 })
      expect(paid({ interval: 'month', interval_count: '3' }).warnings).toEqual([])
    })

    it('counts a payment without interval (absent or null) as one-off, without a warning', () => {
      expect(paid({})).toMatchObject({ recurring: null, warnings: [] })
      expect(paid({ interval: null })).toMatchObject({ recurring: null, warnings: [] })
      // interval_count alone says nothing
      expect(paid({ interval_count: 'x' })).toMatchObject({ recurring: null, warnings: [] })
    })

    it('counts a payment with an interval not understood as one-off, with an invalid_interval warning', () => {
      for (const interval of [
        'fortnight',
        'months',
        '',
        ' month',
        'annually',
        1,
        true,
        ['month'],
        { every: 'month' },
      ]) {
        const { recurring, warnings, event } = paid({ interval })
        expect(recurring, JSON.stringify(interval)).toBeNull()
        expect(event.kind).toBe('payment')
        expect(event.amountMicros).toBe(30_000_000)
        expect(warnings).toEqual([
          { code: 'invalid_interval', message: expect.stringContaining('"interval"') },
        ])
        expect(warnings[0]!.message).toContain('one-off payment')
      }
      expect(paid({ interval: 'fortnight' }).warnings[0]!.message).toBe(
        '"Payment Made": "interval" "fortnight" is not one of day, week, month, quarter, year ' +
          '(or daily, weekly, monthly, quarterly, yearly, annual, in any case); ' +
          'the payment was counted as a one-off payment',
      )
    })

    it('counts a payment with an interval_count not understood as one-off, with an invalid_interval warning', () => {
      for (const interval_count of [
        0,
        -1,
        1.5,
        1001,
        '0',
        '2.5',
        'three',
        '',
        '0x3',
        'Infinity',
        true,
        [2],
        {},
        NaN,
      ]) {
        const { recurring, warnings } = paid({ interval: 'month', interval_count })
        expect(recurring, JSON.stringify(interval_count)).toBeNull()
        expect(warnings).toEqual([
          { code: 'invalid_interval', message: expect.stringContaining('"interval_count"') },
        ])
      }
      expect(paid({ interval: 'month', interval_count: 0 }).warnings[0]!.message).toBe(
        '"Payment Made": "interval_count" 0 is not a whole number from 1 to 1000; ' +
          'the payment was counted as a one-off payment',
      )
    })

    it('applies to payment synonyms of the mapping, and never to refunds or custom events', () => {
      const mapped = {
        ...settings,
        eventMapping: { ...DEFAULT_EVENT_MAPPING, payment: ['Payment Made', 'Order Completed'] },
      }
      const warnings: Warning[] = []
      const order = run(
        {
          type: 'track',
          userId: 'u',
          event: 'Order Completed',
          properties: { amount: 1, interval: 'Yearly' },
        },
        mapped,
        warnings,
      )
      expect(order).toMatchObject({ kind: 'payment', recurring: { interval: 'year', count: 1 } })
      for (const name of ['Refund Received', 'Something Else']) {
        const other = run(
          { type: 'track', userId: 'u', event: name, properties: { amount: 1, interval: 'fortnight' } },
          settings,
          warnings,
        )
        expect(other).toMatchObject({ recurring: null })
      }
      expect(warnings).toEqual([])
    })

    it('gives no warning for a payment rejected for its amount', () => {
      const warnings: Warning[] = []
      const out = run(
        { type: 'track', userId: 'u', event: 'Payment Made', properties: { interval: 'fortnight' } },
        settings,
        warnings,
      )
      expect(out).toMatchObject({ code: 'invalid_amount' })
      expect(warnings).toEqual([])
    })
  })

  describe('subscription ids', () => {
    const sub = (event: string, properties: Record<string, unknown>) =>
      (run({ type: 'track', userId: 'u', event, properties: { amount: 1, ...properties } }) as TbEvent)
        .subscriptionId

    it('reads properties.subscription_id of payments and cancels: a non-empty string, or a number as text', () => {
      for (const name of ['Payment Made', 'cancel']) {
        expect(sub(name, { subscription_id: 'sub_1' })).toBe('sub_1')
        expect(sub(name, { subscription_id: ' sub 2 ' })).toBe(' sub 2 ')
        expect(sub(name, { subscription_id: 42 })).toBe('42')
        expect(sub(name, { subscription_id: 1.5 })).toBe('1.5')
        expect(sub(name, {})).toBeNull()
        for (const id of ['', null, true, ['a'], { id: 'a' }])
          expect(sub(name, { subscription_id: id })).toBeNull()
      }
      // JSON has no NaN or Infinity; a message built in memory may.
      expect(sub('Payment Made', { subscription_id: Number.POSITIVE_INFINITY })).toBeNull()
      expect(sub('Payment Made', { subscription_id: NaN })).toBeNull()
    })

    it('is null for every other kind', () => {
      expect(sub('Refund Received', { subscription_id: 'sub_1' })).toBeNull()
      expect(sub('signup', { subscription_id: 'sub_1' })).toBeNull()
      expect(sub('Feature Used', { subscription_id: 'sub_1' })).toBeNull()
      expect(
        event({ type: 'identify', userId: 'u', traits: { subscription_id: 'sub_1' } }).subscriptionId,
      ).toBeNull()
      expect(
        event({ type: 'page', userId: 'u', properties: { subscription_id: 'sub_1' } }).subscriptionId,
      ).toBeNull()
    })
  })
})

// RudderStack's analytics-js 3.x sends an identify's traits only in context.traits (its group: the group's
// traits in `traits`, the user's in context.traits).
describe('traits in context.traits', () => {
  const userTraits = { email: 'ada@example.com', first_name: 'Ada', last_name: 'L', plan: 'pro' }

  it('reads an identify’s traits from context.traits when `traits` is absent or empty', () => {
    const expected = { email: 'ada@example.com', firstName: 'Ada', lastName: 'L', name: 'Ada L', plan: 'pro' }
    expect(event({ type: 'identify', userId: 'u', context: { traits: userTraits } }).attributes).toEqual(
      expected,
    )
    expect(
      event({ type: 'identify', userId: 'u', traits: {}, context: { traits: userTraits } }).attributes,
    ).toEqual(expected)
    expect(
      event({ type: 'identify', anonymousId: 'a', traits: null, context: { traits: userTraits } }).attributes,
    ).toEqual(expected)
  })

  it('prefers `traits` when it has any, without merging context.traits into it', () => {
    const e = event({
      type: 'identify',
      userId: 'u',
      traits: { plan: 'team' },
      context: { traits: userTraits },
    })
    expect(e.attributes).toEqual({ plan: 'team' })
  })

  it('gives an identify with neither no attributes, and ignores a context.traits that is not an object', () => {
    expect(event({ type: 'identify', userId: 'u' }).attributes).toEqual({})
    expect(event({ type: 'identify', userId: 'u', context: { traits: ['x'] } }).attributes).toEqual({})
    expect(event({ type: 'identify', userId: 'u', context: { traits: 'x' } }).attributes).toEqual({})
  })

  it('reads Personas audience traits from context.traits too', () => {
    const personas = { computation_class: 'audience', computation_key: 'vip' }
    const e = event({ type: 'identify', userId: 'u', context: { personas, traits: { vip: true } } })
    expect(e.audiences).toEqual([{ key: 'vip', member: true }])
  })

  it('never takes a group’s context.traits (the user’s) for the group’s traits', () => {
    const rudder = event({
      type: 'group',
      userId: 'u',
      groupId: 'g1',
      traits: { name: 'Acme', plan: 'enterprise' },
      context: { traits: userTraits },
    })
    expect(rudder.attributes).toEqual({ group_id: 'g1', group: { name: 'Acme', plan: 'enterprise' } })
    const bare = event({ type: 'group', userId: 'u', groupId: 'g2', context: { traits: userTraits } })
    expect(bare.attributes).toEqual({ group_id: 'g2', group: {} })
  })

  it('leaves other calls’ context.traits out of the attributes', () => {
    const track = event({ type: 'track', userId: 'u', event: 'E', context: { traits: userTraits } })
    expect(track.attributes).toBeNull()
    const page = event({ type: 'page', userId: 'u', context: { traits: userTraits } })
    expect(page.attributes).toBeNull()
  })
})
