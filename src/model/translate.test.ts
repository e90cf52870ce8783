import { describe, expect, it } from 'vitest'
import { translate } from './translate.js'
import { DEFAULT_EVENT_MAPPING, type TbEvent } from './types.js'
import { validateMessage } from './validate.js'

const settings = { timezone: 'UTC', currency: 'USD', eventMapping: DEFAULT_EVENT_MAPPING }
const times = { eventTime: 1, receivedAt: 1, sentAt: null, clientTime: null }

function run(message: Record<string, unknown>, s = settings) {
  const valid = validateMessage(message)
  if ('code' in valid) return valid
  return translate(valid, 'm1', times, JSON.stringify(message), s)
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
})
