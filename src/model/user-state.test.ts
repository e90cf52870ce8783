import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { applyEvent, emptyFacts, foldEvents, type FoldEvent } from './user-state.js'

const RULES = { timezone: 'UTC', pastDueGraceDays: 0 }

let seq = 0
function ev(kind: FoldEvent['kind'], eventTime: number, extra: Partial<FoldEvent> = {}): FoldEvent {
  seq++
  return {
    messageId: `m${String(seq).padStart(4, '0')}`,
    kind,
    eventTime,
    attributes: null,
    groupId: null,
    audiences: [],
    amountMicros: null,
    currency: null,
    campaignSource: null,
    recurring: null,
    subscriptionId: null,
    userId: 'u1',
    anonymousId: null,
    ...extra,
  }
}

describe('user facts fold', () => {
  it('a cancel stamped before a payment but received after it leaves the user active', () => {
    const payment = ev('payment', 200, { amountMicros: 5, currency: 'USD' })
    const cancel = ev('cancel', 100)
    const facts = foldEvents([payment, cancel], RULES)
    expect(facts.status).toBe('active')
    expect(facts.statusChanges).toEqual([
      { at: 100, status: 'canceled' },
      { at: 200, status: 'active' },
    ])
  })

  it('counts a repeated cancel once and reactivates on a later signup', () => {
    const facts = foldEvents([ev('cancel', 1), ev('cancel', 2), ev('signup', 3), ev('cancel', 4)], RULES)
    expect(facts.statusChanges.map((c) => c.status)).toEqual(['canceled', 'active', 'canceled'])
    expect(facts.canceledAt).toBe(4)
    expect(facts.signedUpAt).toBe(3)
  })

  it('keeps per attribute the value with the latest event time', () => {
    const facts = foldEvents(
      [
        ev('login', 300, { attributes: { plan: 'pro' } }),
        ev('login', 100, { attributes: { plan: 'free', email: 'a@b' } }),
      ],
      RULES,
    )
    expect(facts.attributes).toEqual({ plan: 'pro', email: 'a@b' })
  })

  it('sums earnings per currency in exact integers', () => {
    const facts = foldEvents(
      [
        ev('payment', 1, { amountMicros: 100_000, currency: 'USD' }),
        ev('payment', 2, { amountMicros: 200_000, currency: 'USD' }),
        ev('refund', 3, { amountMicros: 50_000, currency: 'USD' }),
        ev('payment', 4, { amountMicros: 7, currency: 'EUR' }),
      ],
      RULES,
    )
    expect(facts.earnings['USD']).toEqual({
      paymentsMicros: 300_000,
      refundsMicros: 50_000,
      paymentCount: 2,
      refundCount: 1,
    })
    expect(facts.earnings['EUR']?.paymentsMicros).toBe(7)
    expect(facts.firstPaymentAt).toBe(1)
  })

  it('keeps the latest group as group_id/group and every group joined in groups', () => {
    const facts = foldEvents(
      [
        ev('group', 2, { groupId: 'g2', attributes: { group_id: 'g2', group: { name: 'Beta' } } }),
        ev('group', 1, { groupId: 'g1', attributes: { group_id: 'g1', group: { name: 'Acme' } } }),
      ],
      RULES,
    )
    expect(facts.attributes).toEqual({ group_id: 'g2', group: { name: 'Beta' }, groups: ['g1', 'g2'] })
  })

  it('records audience entry and exit times', () => {
    const facts = foldEvents(
      [
        ev('login', 1, { audiences: [{ key: 'vip', member: true }] }),
        ev('custom', 5, { audiences: [{ key: 'vip', member: false }] }),
      ],
      RULES,
    )
    expect(facts.audiences['vip']).toEqual({ member: false, enteredAt: 1, exitedAt: 5 })
  })

  it('gives the same facts for any arrival order, and incremental folding of in-order events equals a refold', () => {
    const kinds = ['visit', 'login', 'payment', 'refund', 'cancel', 'signup', 'group', 'custom'] as const
    const arbEvent = fc.record({
      kind: fc.constantFrom(...kinds),
      t: fc.integer({ min: 0, max: 50 }),
      plan: fc.constantFrom('free', 'pro', null),
      amount: fc.integer({ min: 0, max: 1000 }),
      group: fc.constantFrom('g1', 'g2'),
    })
    fc.assert(
      fc.property(fc.array(arbEvent, { maxLength: 30 }), (specs) => {
        const events = specs.map((s, i) => ({
          messageId: `m${i}`,
          kind: s.kind,
          eventTime: s.t,
          attributes: s.plan === null ? null : { plan: s.plan },
          groupId: s.kind === 'group' ? s.group : null,
          audiences: [],
          amountMicros: s.kind === 'payment' || s.kind === 'refund' ? s.amount : null,
          currency: 'USD',
          campaignSource: null,
          recurring: null,
          subscriptionId: null,
          userId: 'u1',
          anonymousId: null,
        }))
        const reference = foldEvents(events, RULES)
        expect(foldEvents([...events].reverse(), RULES)).toEqual(reference)
        const incremental = emptyFacts()
        for (const e of [...events].sort(
          (a, b) => a.eventTime - b.eventTime || (a.messageId < b.messageId ? -1 : 1),
        )) {
          applyEvent(incremental, e, RULES)
        }
        expect(incremental).toEqual(reference)
      }),
    )
  })
})
