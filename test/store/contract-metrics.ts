// The store contract for the metrics reader (run by contract.ts on every store): every method, through the
// Store interface, on a small history whose numbers are worked out in the comments — and again after more
// events land on days already read, so the day sets' caches (days, months, sizes, status changes) are seen to
// be dropped and rebuilt, on ranges of single days, whole months and loose days around them.
import { beforeEach, describe, expect, it } from 'vitest'
import { prepareMessages } from '../../src/ingest/prepare.js'
import type { DayRange, Store } from '../../src/store/types.js'

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000
const noon = (iso: string) => `${iso}T12:00:00Z`
const span = (from: string, to: string): DayRange => ({ from: day(from), to: day(to) })
const on = (iso: string): DayRange => span(iso, iso)
const JAN = span('2024-01-01', '2024-01-31')
const FEB = span('2024-02-01', '2024-02-29')
const USD = 1_000_000
const NOW = Date.parse('2024-03-01T00:00:00Z')

const payment = (userId: string, date: string, amount: number, currency = 'USD') => ({
  type: 'track',
  userId,
  event: 'Payment Made',
  properties: { amount, currency, interval: 'month' },
  timestamp: noon(date),
})

/**
 * Jan 1: anonymous a1 visits from Google, identifies (a login) as u1, signs up and pays $10/month. Jan 2:
 * anonymous a2 visits; u2 signs up from a newsletter. Jan 15: u1 cancels. Feb 3: u1 comes back at $20/month;
 * u2 pays 5 EUR a month (not the workspace currency). Feb 10: u1 gets $5 back.
 */
const HISTORY = [
  {
    type: 'page',
    anonymousId: 'a1',
    timestamp: noon('2024-01-01'),
    context: { campaign: { source: 'google' } },
  },
  { type: 'identify', userId: 'u1', anonymousId: 'a1', timestamp: noon('2024-01-01') },
  { type: 'track', userId: 'u1', event: 'signup', timestamp: noon('2024-01-01') },
  payment('u1', '2024-01-01', 10),
  { type: 'page', anonymousId: 'a2', timestamp: noon('2024-01-02') },
  {
    type: 'track',
    userId: 'u2',
    event: 'signup',
    timestamp: noon('2024-01-02'),
    context: { campaign: { source: 'newsletter' } },
  },
  { type: 'track', userId: 'u1', event: 'cancel', timestamp: noon('2024-01-15') },
  payment('u1', '2024-02-03', 20),
  payment('u2', '2024-02-03', 5, 'EUR'),
  {
    type: 'track',
    userId: 'u1',
    event: 'Refund Received',
    properties: { amount: 5, currency: 'USD' },
    timestamp: noon('2024-02-10'),
  },
]

export function metricsContract(name: string, current: () => { store: Store; ws: number }): void {
  describe(`${name} metrics reader`, () => {
    let store: Store
    let ws: number
    beforeEach(() => ({ store, ws } = current()))

    async function send(...messages: Record<string, unknown>[]) {
      const workspace = (await store.workspaces.get(ws))!
      const { batch } = prepareMessages(ws, workspace, messages, undefined, NOW)
      return (await store.ingest.commit([batch]))[0]!
    }
    const distinct = (measure: 'visited' | 'active' | 'paid', ranges: DayRange[]) =>
      store.metrics.distinctUsers(ws, measure, ranges)

    it('reads the daily rollups, the running state, channels and MRR movements', async () => {
      await send(...HISTORY)
      const m = store.metrics
      expect(await m.dailyEvents(ws, span('2024-01-01', '2024-01-02'))).toEqual([
        { day: day('2024-01-01'), visits: 1, logins: 1, events: 4 },
        { day: day('2024-01-02'), visits: 1, logins: 0, events: 2 },
      ])
      expect(await m.dailyEvents(ws, span('2024-01-03', '2024-01-14'))).toEqual([])
      const revenue = await m.dailyRevenue(ws, FEB)
      // Euros without an exchange rate stay unconverted; dollars are their own conversion.
      const none = {
        convertedPayments: 0,
        convertedGrossMicros: 0,
        convertedRefunds: 0,
        convertedRefundsMicros: 0,
      }
      expect(revenue.sort((a, b) => a.day - b.day || a.currency.localeCompare(b.currency))).toEqual([
        {
          day: day('2024-02-03'),
          currency: 'EUR',
          payments: 1,
          grossMicros: 5 * USD,
          refunds: 0,
          refundsMicros: 0,
          ...none,
          unconvertedPayments: 1,
          unconvertedMicros: 5 * USD,
        },
        {
          day: day('2024-02-03'),
          currency: 'USD',
          payments: 1,
          grossMicros: 20 * USD,
          refunds: 0,
          refundsMicros: 0,
          ...none,
          convertedPayments: 1,
          convertedGrossMicros: 20 * USD,
          unconvertedPayments: 0,
          unconvertedMicros: 0,
        },
        {
          day: day('2024-02-10'),
          currency: 'USD',
          payments: 0,
          grossMicros: 0,
          refunds: 1,
          refundsMicros: 5 * USD,
          ...none,
          convertedRefunds: 1,
          convertedRefundsMicros: 5 * USD,
          unconvertedPayments: 0,
          unconvertedMicros: 0,
        },
      ])
      const users = await m.dailyUsers(ws, span('2024-01-01', '2024-02-29'))
      expect(users.filter((r) => r.signups > 0).map((r) => [r.day, r.signups])).toEqual([
        [day('2024-01-01'), 1],
        [day('2024-01-02'), 1],
      ])
      // u1 is a customer from Jan 1 to Jan 15 (the cancel), and again from Feb 3. Their $10 a month counts in
      // MRR from Jan 2 through Feb 1, the end of the paid month (the cancel is recognised there), and $20 from
      // Feb 4; u2's euros have no rate: no MRR.
      expect(await m.stateAt(ws, day('2024-01-01'))).toEqual({
        customers: 0,
        users: 0,
        mrrMicros: 0,
        subscribers: 0,
      })
      expect(await m.stateAt(ws, day('2024-01-02'))).toMatchObject({ customers: 1, mrrMicros: 10 * USD })
      expect(await m.stateAt(ws, day('2024-02-01'))).toMatchObject({
        customers: 0,
        mrrMicros: 10 * USD,
        subscribers: 1,
      })
      expect(await m.stateAt(ws, day('2024-02-02'))).toMatchObject({
        customers: 0,
        mrrMicros: 0,
        subscribers: 0,
      })
      // u2's only payment, in euros without a rate, makes no customer either.
      expect(await m.stateAt(ws, day('2024-02-04'))).toMatchObject({ customers: 1, mrrMicros: 20 * USD })
      expect(await m.channelSignups(ws, JAN)).toEqual([
        { channel: 'google', signups: 1 },
        { channel: 'newsletter', signups: 1 },
      ])
      expect(await m.channelSignups(ws, FEB)).toEqual([])
      // u1's MRR changes by day: new on Jan 1, the lapse at the end of Feb 1 (not yet "now" on that day),
      // the return on Feb 3.
      const change = (d: string, from: number, to: number, now: number, firstPositive: boolean) =>
        expect.objectContaining({
          day: day(d),
          fromMicros: from * USD,
          toMicros: to * USD,
          nowMicros: now * USD,
          firstPositive,
        })
      expect(await m.mrrChanges(ws, { from: JAN.from, to: FEB.to })).toEqual([
        change('2024-01-01', 0, 10, 10, true),
        change('2024-02-01', 10, 0, 10, false),
        change('2024-02-03', 0, 20, 20, false),
      ])
      expect(await m.mrrChanges(ws, span('2024-01-02', '2024-01-31'))).toEqual([])
      // The retention reads (metrics/mrr-retention.ts): u1's spells began Jan 1 and Feb 3.
      const [u1] = await m.mrrChanges(ws, JAN)
      // Cells (Jan 1: +10 of the spell begun Jan 1; Feb 1: its churn, keyed by January; Feb 3: +20 of a
      // new spell) summed per range over the spells begun before it. A range from Jan 2 leaves out the Feb 1
      // cell: its key (January) cannot tell a spell begun Jan 1 from one begun Jan 2 (read from the changes).
      expect(
        await m.mrrCellSums(ws, [
          FEB,
          span('2024-01-02', '2024-02-29'),
          JAN,
          span('2024-01-02', '2024-01-31'),
        ]),
      ).toEqual([
        { churns: 1, deltaMicros: -10 * USD },
        { churns: 0, deltaMicros: 0 },
        { churns: 0, deltaMicros: 0 },
        { churns: 0, deltaMicros: 0 },
      ])
      expect(
        await m.mrrCellSums(ws, [span('2024-02-02', '2024-02-29'), span('2024-02-04', '2024-03-31')]),
      ).toEqual([
        { churns: 0, deltaMicros: 0 },
        // The spell begun Feb 3 (an exact key, before the range) has no change after it.
        { churns: 0, deltaMicros: 0 },
      ])
      expect(await m.mrrChangesOfSpells(ws, on('2024-01-01'), FEB)).toEqual([
        expect.objectContaining({ day: day('2024-02-01'), spellStart: day('2024-01-01') }),
      ])
      expect(await m.mrrChangesOfSpells(ws, on('2024-01-02'), FEB)).toEqual([])
      // The return on Feb 3 follows the spell running at the start of a range that began up to Feb 1.
      const ranges = [FEB, span('2024-01-02', '2024-02-29'), JAN, span('2024-02-02', '2024-02-29')]
      const back = { userOrd: u1!.userOrd, day: day('2024-02-03'), toMicros: 20 * USD, nowMicros: 20 * USD }
      expect(await m.mrrReturners(ws, ranges)).toEqual([
        [{ ...back, startMicros: 10 * USD, spellStart: day('2024-02-03') }],
        [{ ...back, startMicros: 10 * USD, spellStart: day('2024-02-03') }],
        [],
        [],
      ])
      // No rise within a spell (u1's MRR only starts, ends and starts again).
      expect(await m.mrrRisers(ws, ranges)).toEqual([[], [], [], []])
      expect(await m.mrrLatest(ws, [u1!.userOrd], day('2024-02-02'))).toEqual([
        expect.objectContaining({ day: day('2024-02-01'), toMicros: 0, spellStart: day('2024-01-01') }),
      ])
      expect(await m.mrrLatest(ws, [u1!.userOrd], day('2023-12-31'))).toEqual([])
      // Another workspace's reads see none of it.
      const other = (await store.workspaces.create({ name: 'O', timezone: 'UTC', currency: 'USD' })).id
      expect(await m.dailyEvents(other, JAN)).toEqual([])
      expect(await m.stateAt(other, FEB.to)).toEqual({ customers: 0, users: 0, mrrMicros: 0, subscribers: 0 })
      expect(await m.distinctUsers(other, 'visited', [JAN])).toEqual([0])
    })

    it('keeps the retention sums of past ranges until a late change reaches them', async () => {
      await send(...HISTORY)
      const m = store.metrics
      const sums = (r: DayRange, churned: number, net: number | null) => ({
        from: r.from,
        to: r.to,
        churned,
        netMicros: net,
        lossMicros: net === null ? null : Math.min(0, net),
      })
      const JAN_SUMS = sums(JAN, 0, 10 * USD)
      const both = { from: JAN.from, to: FEB.from }
      const entries = async () => (await m.cachedRetention(ws, both)).entries.sort((a, b) => a.from - b.from)
      const first = await m.cachedRetention(ws, JAN)
      expect(first.entries).toEqual([])
      await m.cacheRetention(ws, first.epoch, [JAN_SUMS, sums(FEB, 1, null)])
      // Read by the days they start on.
      expect((await m.cachedRetention(ws, JAN)).entries).toEqual([JAN_SUMS])
      expect(await entries()).toEqual([JAN_SUMS, sums(FEB, 1, null)])
      // Churns alone are completed by full sums, never the other way round.
      await m.cacheRetention(ws, first.epoch, [sums(FEB, 1, -10 * USD)])
      await m.cacheRetention(ws, first.epoch, [sums(JAN, 0, null)])
      expect(await entries()).toEqual([JAN_SUMS, sums(FEB, 1, -10 * USD)])
      // Another workspace has none of them.
      const other = (await store.workspaces.create({ name: 'O', timezone: 'UTC', currency: 'USD' })).id
      expect((await m.cachedRetention(other, both)).entries).toEqual([])

      // A change dated today reaches no past range: nothing is dropped and the epoch stays.
      const workspace = (await store.workspaces.get(ws))!
      const today = new Date().toISOString().slice(0, 10)
      const { batch } = prepareMessages(ws, workspace, [payment('u7', today, 5)], undefined, Date.now())
      await store.ingest.commit([batch])
      expect((await m.cachedRetention(ws, both)).epoch).toBe(first.epoch)
      expect(await entries()).toHaveLength(2)

      // A late one (u2 pays $7 a month from Feb 10) drops the ranges ending on or after its day.
      await send(payment('u2', '2024-02-10', 7))
      const late = await m.cachedRetention(ws, both)
      expect(late.epoch).not.toBe(first.epoch)
      expect(late.entries).toEqual([JAN_SUMS])
      // Sums computed before it are not kept; sums computed after it are.
      await m.cacheRetention(ws, first.epoch, [sums(FEB, 9, 9 * USD)])
      expect(await entries()).toEqual([JAN_SUMS])
      await m.cacheRetention(ws, late.epoch, [sums(FEB, 1, 7 * USD)])
      expect(await entries()).toEqual([JAN_SUMS, sums(FEB, 1, 7 * USD)])

      // A rebuild recounts everything: none is kept, and sums read before it are not stored.
      await store.rebuilds.start(ws)
      const rebuilt = await m.cachedRetention(ws, both)
      expect(rebuilt.entries).toEqual([])
      await m.cacheRetention(ws, late.epoch, [JAN_SUMS])
      expect(await entries()).toEqual([])
    })

    it('counts distinct users over days, months and loose days, from its caches, and after new events', async () => {
      await send(...HISTORY)
      // Visitors: u1 (a1 stitched) Jan 1, a2 Jan 2. Active (identified): u1 Jan 1, 15, Feb 3, 10; u2 Jan 2,
      // Feb 3. Paying in USD: u1 Jan 1, Feb 3.
      const ranges = [
        on('2024-01-01'),
        on('2024-01-02'),
        on('2024-01-03'),
        JAN,
        FEB,
        span('2024-01-02', '2024-02-29'),
        span('2023-12-15', '2024-02-05'),
        span('2024-03-01', '2024-03-31'),
      ]
      const expected = {
        visited: [1, 1, 0, 2, 0, 1, 2, 0],
        active: [1, 1, 0, 2, 2, 2, 2, 0],
        paid: [1, 0, 0, 1, 1, 1, 1, 0],
      }
      for (let pass = 0; pass < 2; pass++) {
        for (const measure of ['visited', 'active', 'paid'] as const) {
          expect(await distinct(measure, ranges), `${measure}, read ${pass + 1}`).toEqual(expected[measure])
        }
      }
      expect(await distinct('active', [])).toEqual([])
      // Concurrent reads (filling the same caches) agree.
      const together = await Promise.all([distinct('visited', ranges), distinct('visited', ranges)])
      expect(together).toEqual([expected.visited, expected.visited])

      // Days already read change: a3 visits Jan 20, u2 pays $7 that day.
      await send(
        { type: 'page', anonymousId: 'a3', timestamp: noon('2024-01-20') },
        payment('u2', '2024-01-20', 7),
      )
      expect(await distinct('visited', ranges)).toEqual([1, 1, 0, 3, 0, 2, 3, 0])
      expect(await distinct('paid', ranges)).toEqual([1, 0, 0, 2, 1, 2, 2, 0])
      expect(await distinct('paid', [on('2024-01-20'), span('2024-01-20', '2024-01-31')])).toEqual([1, 1])
    })

    it('counts status changes and churn per range, and again after a later cancel', async () => {
      await send(...HISTORY)
      // u1: active Jan 1, canceled Jan 15, active again Feb 3. Churned in a range: canceled in it, active
      // (since before the range's start) and a customer and seen before the start.
      const ranges = [
        JAN,
        FEB,
        on('2024-01-15'),
        span('2024-01-10', '2024-01-20'),
        span('2024-01-02', '2024-02-29'),
      ]
      const none = { cancellations: 0, reactivations: 0, churnedCustomers: 0, churnedUsers: 0 }
      const cancel = { cancellations: 1, reactivations: 0, churnedCustomers: 1, churnedUsers: 1 }
      const expected = [
        // Active only since Jan 1, the range's own first day: not churned against its start.
        { ...none, cancellations: 1 },
        { ...none, reactivations: 1 },
        cancel,
        cancel,
        { ...cancel, reactivations: 1 },
      ]
      expect(await store.metrics.transitions(ws, ranges)).toEqual(expected)
      expect(await store.metrics.transitions(ws, ranges)).toEqual(expected)
      expect(await store.metrics.transitions(ws, [])).toEqual([])

      // u2 becomes a customer Jan 20 and cancels Jan 25: January and its later days change.
      await send(payment('u2', '2024-01-20', 7), {
        type: 'track',
        userId: 'u2',
        event: 'cancel',
        timestamp: noon('2024-01-25'),
      })
      const later = [
        JAN,
        span('2024-01-21', '2024-01-31'),
        on('2024-01-25'),
        span('2024-01-02', '2024-02-29'),
      ]
      expect(await store.metrics.transitions(ws, later)).toEqual([
        { ...none, cancellations: 2, reactivations: 0 },
        { cancellations: 1, reactivations: 0, churnedCustomers: 1, churnedUsers: 1 },
        { cancellations: 1, reactivations: 0, churnedCustomers: 1, churnedUsers: 1 },
        // u2's euros of Feb 3 now bring them back from a cancel: a reactivation too.
        { cancellations: 2, reactivations: 2, churnedCustomers: 1, churnedUsers: 1 },
      ])
    })

    it('sizes cohorts and reads their activity and net revenue by period', async () => {
      await send(...HISTORY)
      const m = store.metrics
      expect(await m.cohortSize(ws, JAN)).toBe(2)
      expect(await m.cohortSize(ws, FEB)).toBe(0)
      expect(await m.cohortSize(ws, on('2024-01-02'))).toBe(1)
      const periods = [JAN, FEB, span('2024-03-01', '2024-03-31')]
      // u1 and u2 are active in January and February.
      expect(await m.cohortValues(ws, JAN, periods, 'active')).toEqual([2, 2, 0])
      expect(await m.cohortValues(ws, JAN, periods, 'active')).toEqual([2, 2, 0])
      expect(await m.cohortValues(ws, on('2024-01-02'), periods, 'active')).toEqual([1, 1, 0])
      // $10 in January; $20 less $5 in February (u2's euros are not the workspace's currency).
      expect(await m.cohortValues(ws, JAN, periods, 'revenue')).toEqual([10 * USD, 15 * USD, 0])
      expect(await m.cohortValues(ws, FEB, periods, 'active')).toEqual([0, 0, 0])
      expect(await m.cohortValues(ws, FEB, periods, 'revenue')).toEqual([0, 0, 0])
      expect(await m.cohortValues(ws, JAN, [], 'active')).toEqual([])
    })
  })
}
