// The Revenue page in Chromium over a real server: the subscription metrics, a period "so far", and the note
// about payments in a currency without an exchange rate.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumPath, createOwnerAccount, launchBrowser } from '../helpers/browser.js'
import { basic, startTestServer, type TestServer } from '../helpers/server.js'

const chromium = chromiumPath()
const OWNER = { email: 'founder@example.com', password: 'correct horse battery' }
const DAY = 86_400_000
const iso = (ms: number) => new Date(ms).toISOString()

describe.skipIf(chromium === null)('the Revenue page in Chromium', () => {
  let server: TestServer
  let browser: Browser
  let page: Page
  const errors: string[] = []

  const kpi = (label: string) =>
    page
      .locator('.kpi')
      .filter({ has: page.locator('.kpi-label', { hasText: new RegExp(`^${label}$`) }) })
      .locator('.kpi-value')

  beforeAll(async () => {
    server = await startTestServer({ currency: 'USD' })
    browser = await launchBrowser(chromium)
    const context = await browser.newContext()
    context.setDefaultTimeout(8000)
    page = await context.newPage()
    page.on('pageerror', (e) => errors.push(e.message))
    // Ada visits, signs up, pays $100 a month, then $120 (an expansion); Bo pays $12 for a week and lapses
    // (new $52/month, then churned); Eve pays
    // €80 with no EUR rate loaded (unconverted). All within the default range, the last 30 days.
    const now = Date.now()
    const pay = (userId: string, daysAgo: number, properties: Record<string, unknown>) => ({
      type: 'track',
      userId,
      event: 'Payment Made',
      properties: { interval: 'month', ...properties },
      timestamp: iso(now - daysAgo * DAY),
    })
    const batch = [
      { type: 'page', userId: 'ada', name: 'Pricing', timestamp: iso(now - 29 * DAY) },
      { type: 'track', userId: 'ada', event: 'signup', timestamp: iso(now - 29 * DAY + 60_000) },
      pay('ada', 28, { amount: 100 }),
      pay('bo', 27, { amount: 12, interval: 'week' }),
      pay('ada', 3, { amount: 120 }),
      pay('eve', 2, { amount: 80, currency: 'EUR' }),
    ]
    const res = await server.post('/v1/batch', { batch }, basic(server.token))
    expect(res.status).toBe(200)
    expect(res.body.accepted).toBe(batch.length)

    await createOwnerAccount(page, server.url, OWNER)
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  const openRevenue = async () => {
    await page.goto(`${server.url}/revenue`)
    await page.getByRole('heading', { name: 'Revenue', level: 1 }).waitFor()
    await kpi('MRR').waitFor()
  }

  it('shows MRR, ARR and the subscription metrics the API computes, percentages as percentages', async () => {
    await openRevenue()
    const today = iso(Date.now()).slice(0, 10)
    const from = iso(Date.now() - 29 * DAY).slice(0, 10)
    const api = await server.get(`/api/v1/metrics?from=${from}&to=${today}&interval=day`)
    const totals = api.body.totals as Record<string, number | null>
    expect(totals['mrr']).toBe(120)
    expect(totals['arr']).toBe(1440)
    expect(await kpi('MRR').innerText()).toBe('$120.00')
    expect(await kpi('ARR').innerText()).toBe('$1,440')
    for (const label of [
      'Subscribers',
      'Subscribers at start',
      'Churned subscribers',
      'Subscriber churn rate',
      'Gross MRR churn rate',
      'Net MRR churn rate',
      'NRR',
      'GRR',
      'Quick ratio',
      'ARPA',
      'CAC',
      'UAC',
      'MRR growth rate',
      'CMGR',
      'LTV',
    ]) {
      await kpi(label).waitFor()
    }
    expect(await kpi('Subscribers').innerText()).toBe(String(totals['subscribers']))
    expect(await kpi('ARPA').innerText()).toBe('$120.00')
    // No MRR at the range's start: the rates over it are null, an em dash that says why.
    expect(totals['mrr_start']).toBe(0)
    const nrr = kpi('NRR').locator('.metric-null')
    expect(await nrr.locator('.tip-trigger').innerText()).toBe('—')
    expect(await nrr.getByRole('tooltip', { includeHidden: true }).textContent()).toBe(
      'No value: no MRR at the start of the period',
    )
    expect(
      await kpi('Subscriber churn rate').getByRole('tooltip', { includeHidden: true }).textContent(),
    ).toBe('No value: no subscribers at the start of the period')
    // Bo's lapse: of 2 subscribers at that day's start, 1 churned.
    const subscriptions = page.locator('.table-card', {
      has: page.getByRole('heading', { name: 'Subscriptions by period' }),
    })
    await subscriptions.getByRole('cell', { name: '50.0%', exact: true }).first().waitFor()
    // The MRR movements chart and the bridge from MRR at start to MRR at end.
    await page.getByRole('img', { name: 'MRR movements chart' }).waitFor()
    const bridge = page.locator('.table-card', {
      has: page.getByRole('heading', { name: 'MRR movements by period' }),
    })
    const whole = bridge.locator('tr', { hasText: 'Whole range' })
    const cells = await whole.locator('td').allInnerTexts()
    // Period, MRR at start, + new, + expansion, + reactivation, − contraction, − churned, = MRR at end.
    expect(cells[1]).toBe('$0.00')
    expect(cells[7]).toBe('$120.00')
    expect(cells[2]).toBe('$152.00')
    expect(cells[3]).toBe('$20.00')
    expect(cells[6]).toBe('$52.00')
    expect([totals['new_mrr'], totals['expansion_mrr'], totals['churned_mrr']]).toEqual([152, 20, 52])
  })

  it('marks the period that is not over "so far", in tables and charts', async () => {
    await openRevenue()
    const fmt = (options: Intl.DateTimeFormatOptions) =>
      new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', ...options }).format(Date.now())
    const today = fmt({ month: 'short', day: 'numeric', year: 'numeric' })
    await page
      .getByRole('cell', { name: `${today} so far` })
      .first()
      .waitFor()
    expect(await page.getByText('Whole range so far').count()).toBe(1)
    // Line charts dash the partial period and say so; the movements' bars are hatched.
    const mrrChart = page.locator('figure', { has: page.getByRole('heading', { name: 'MRR', exact: true }) })
    expect(await mrrChart.locator('.chart-partial.dashed').innerText()).toContain(`so far (${today})`)
    const movements = page.locator('figure.movements')
    expect(await movements.locator('.chart-partial.hatched').innerText()).toContain('so far')
    // With the Month interval the current month is "so far" too.
    await page.getByLabel('Interval').selectOption('month')
    const month = fmt({ month: 'short', year: 'numeric' })
    await page
      .getByRole('cell', { name: `${month} so far` })
      .first()
      .waitFor()
    // Movements exist for every interval; LTV only by month.
    const subscriptions = page.locator('.table-card', {
      has: page.getByRole('heading', { name: 'Subscriptions by period' }),
    })
    expect(await subscriptions.getByRole('columnheader', { name: 'LTV' }).count()).toBe(1)
  })

  it('says beside the totals that a EUR payment without a rate is not counted, with a link to Settings', async () => {
    await openRevenue()
    const note = page.getByRole('note', { name: 'Payments without an exchange rate' })
    await note.waitFor()
    expect(await note.innerText()).toMatch(
      /^1 payment in EUR \(€80\.00\) has no exchange rate and is not counted in revenue or MRR — add rates in Settings$/,
    )
    const other = page.locator('.table-card', {
      has: page.getByRole('heading', { name: 'Other currencies' }),
    })
    expect(await other.locator('tr', { hasText: 'EUR' }).locator('td').allInnerTexts()).toEqual([
      'EUR',
      '1',
      '€80.00',
      '€0.00',
      '€80.00',
      '1',
      '€80.00',
    ])
    await note.getByRole('link', { name: 'add rates in Settings' }).click()
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor()
    await page.getByRole('tab', { name: 'Exchange rates', selected: true }).waitFor()
  })

  it('adds a EUR rate in Settings > Exchange rates: the metrics are recomputed and the payment counts', async () => {
    await page.goto(`${server.url}/settings#exchange-rates`)
    await page.getByText('No exchange rates:').waitFor()
    const paid = iso(Date.now() - 2 * DAY).slice(0, 10)
    const form = page.getByRole('form', { name: 'Add an exchange rate' })
    await form.getByLabel('Date').fill(paid)
    await form.getByLabel('Currency').fill('eur')
    await form.getByLabel('USD per unit').fill('1.1')
    await form.getByRole('button', { name: 'Save rate' }).click()
    await page.getByText(`EUR on ${paid} saved: the metrics are being recomputed.`).waitFor()
    const table = page.locator('.table-card', { has: page.getByRole('heading', { name: 'Exchange rates' }) })
    expect(await table.locator('tr', { hasText: 'EUR' }).locator('td').allInnerTexts()).toEqual([
      'EUR',
      '1',
      paid,
      paid,
      '1.1',
      'Remove EUR rates',
    ])
    expect((await server.get('/api/v1/fx-rates')).body.rates).toEqual([
      { date: paid, currency: 'EUR', rate: 1.1 },
    ])
    await server.rebuilt()
    // Eve's €80 a month is $88 of MRR now, and the note is gone.
    await openRevenue()
    await page.getByText('$208.00').first().waitFor()
    expect(await kpi('MRR').innerText()).toBe('$208.00')
    expect(await page.getByRole('note', { name: 'Payments without an exchange rate' }).count()).toBe(0)

    // Removing the currency's rates makes it unconverted again.
    await page.goto(`${server.url}/settings#exchange-rates`)
    page.once('dialog', (dialog) => void dialog.accept())
    await page.getByRole('button', { name: 'Remove EUR rates' }).click()
    await page.getByText('No exchange rates:').waitFor()
    await server.rebuilt()
    expect((await server.get('/api/v1/fx-rates')).body.rates).toEqual([])
  })

  it('shows on the funnel that its rates are cohort rates and that windows are still open', async () => {
    await page.goto(`${server.url}/acquisition`)
    await page.getByRole('heading', { name: 'Acquisition', level: 1 }).waitFor()
    await page.getByText('Cohort rates:').waitFor()
    await page.getByText('some visitors’ conversion windows are still open').waitFor()
  })

  it('shows CAC (spend per new customer) beside UAC on the Acquisition page', async () => {
    const day = iso(Date.now() - 10 * DAY).slice(0, 10)
    const spend = await server.post(
      '/api/v1/spend',
      { date: day, amount: 300, channel: 'google' },
      { authorization: `Bearer ${server.apiKey}` },
    )
    expect(spend.status).toBe(201)
    await page.goto(`${server.url}/acquisition`)
    const from = iso(Date.now() - 89 * DAY).slice(0, 10)
    const today = iso(Date.now()).slice(0, 10)
    const totals = (await server.get(`/api/v1/metrics?from=${from}&to=${today}&interval=week`)).body.totals
    // Ada and Bo paid for the first time in the range: $300 ÷ 2. Eve's € payment, its rate removed above, is
    // not counted, so she is no customer yet.
    expect([totals.new_customers, totals.cac]).toEqual([2, 150])
    const group = page.getByRole('region', { name: 'Cost per customer' })
    const card = (label: string) =>
      group.locator('.kpi').filter({ has: page.locator('.kpi-label', { hasText: new RegExp(`^${label}$`) }) })
    await card('CAC').locator('.kpi-value', { hasText: '$150.00' }).waitFor()
    expect(await card('New customers').locator('.kpi-value').innerText()).toBe('2')
    expect(await kpi('UAC').innerText()).toBe('$300.00')
    expect(errors).toEqual([])
  })
})
