// Live events in Chromium, like Segment's debugger: it opens with the events already stored (accepted and
// rejected, newest first), streams new ones on top (duplicates included), expands a row to its JSON and what
// Tractionboard made of it, filters, pauses and resumes, and reads at 1280×800 and 390×844.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumPath, createOwnerAccount, launchBrowser } from '../helpers/browser.js'
import { hashPassword } from '../../src/model/passwords.js'
import { until } from '../helpers/site.js'
import { basic, startTestServer, type TestServer } from '../helpers/server.js'

const chromium = chromiumPath()
const OWNER = { email: 'founder@example.com', password: 'correct horse battery' }
const PAYMENT = {
  type: 'track',
  userId: 'u-42',
  event: 'Payment Made',
  properties: { amount: 49 },
  messageId: 'pay-1',
}

describe.skipIf(chromium === null)('Live events in Chromium', () => {
  let server: TestServer
  let browser: Browser
  let page: Page

  const send = async (...batch: unknown[]) => {
    const sent = await server.post('/v1/batch', { batch }, basic(server.token))
    expect(sent.status).toBe(200)
    // One received time per request, so that the order is the order sent.
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  const rows = () => page.locator('.live-row')
  /** Each row as "outcome name", top to bottom. */
  const shown = async () =>
    (await page.evaluate(
      `[...document.querySelectorAll('.live-row')].map((li) =>
        li.dataset.outcome + ' ' + li.querySelector('.live-name').firstChild.textContent)`,
    )) as string[]
  const open = async () => {
    await page.goto(`${server.url}/live`)
    await page.getByRole('heading', { name: 'Live events', level: 1 }).waitFor()
    await page.getByText('Connected', { exact: true }).waitFor()
  }
  const filter = async (label: string, value: string) => {
    const field = page.getByLabel(label, { exact: true })
    if (label === 'Type' || label === 'Outcome') return void (await field.selectOption(value))
    await field.fill(value)
    await page.getByRole('button', { name: 'Apply' }).click()
  }

  beforeAll(async () => {
    server = await startTestServer({ currency: 'USD' })
    browser = await launchBrowser(chromium)
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    context.setDefaultTimeout(8000)
    page = await context.newPage()
    await createOwnerAccount(page, server.url, OWNER)
    // Before the page is opened: a visit, a login, a payment, its retry (a duplicate) and a refused call.
    await send({ type: 'page', anonymousId: 'a-1', name: 'Pricing', messageId: 'visit-1' })
    await send({ type: 'identify', anonymousId: 'a-1', userId: 'u-42', messageId: 'login-1' })
    await send(PAYMENT)
    await send(PAYMENT)
    await send({ type: 'track', userId: 'u-7' })
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('opens with the stored events newest first and expands one to its JSON and what it became', async () => {
    await open()
    await until('the stored rows', async () => ((await rows().count()) === 4 ? true : null))
    expect(await shown()).toEqual([
      'rejected track',
      'accepted Payment Made',
      'accepted identify',
      'accepted Pricing',
    ])
    await page.getByText('Duplicates are not stored, so they show only as they arrive').waitFor()

    const payment = rows().filter({ hasText: 'Payment Made' })
    await payment.getByText('payment of $49.00 → user u-42').waitFor()
    const summary = payment.getByRole('button')
    expect(await summary.getAttribute('aria-expanded')).toBe('false')
    await summary.click()
    expect(await summary.getAttribute('aria-expanded')).toBe('true')
    const detail = payment.locator('.live-detail')
    await detail.getByText('user u-42', { exact: true }).waitFor() // resolved to
    const raw = JSON.parse(await detail.getByLabel('Raw JSON').innerText())
    expect(raw).toMatchObject({
      type: 'track',
      event: 'Payment Made',
      messageId: 'pay-1',
      properties: { amount: 49 },
    })

    const rejected = rows().first()
    await rejected.getByRole('button').click()
    await rejected.locator('.live-detail').getByText('missing_event').waitFor()
  })

  it('streams new events on top, a duplicate as such', async () => {
    await open()
    await until('the stored rows', async () => ((await rows().count()) === 4 ? true : null))
    await send({
      type: 'track',
      userId: 'u-9',
      event: 'Refund Received',
      properties: { amount: 5 },
      messageId: 'refund-1',
    })
    await send(PAYMENT)
    await until('the streamed rows', async () => ((await rows().count()) === 6 ? true : null))
    expect((await shown()).slice(0, 3)).toEqual([
      'duplicate Payment Made',
      'accepted Refund Received',
      'rejected track',
    ])
    await rows().first().getByText('duplicate: its messageId is already stored').waitFor()
    await rows().nth(1).getByText('refund of $5.00 → user u-9').waitFor()
  })

  it('filters the history and the stream by outcome, type, event name and user id', async () => {
    await open()
    await until('the stored rows', async () => ((await rows().count()) === 5 ? true : null))
    await filter('Outcome', 'rejected')
    await until('rejected rows only', async () => ((await shown()).join() === 'rejected track' ? true : null))
    // A streamed event is filtered too: a new rejection shows, a new accepted event does not.
    await send({ type: 'page', anonymousId: 'a-3', name: 'Docs', messageId: 'visit-3' })
    await send({ type: 'page' })
    await until('the new rejection', async () => ((await rows().count()) === 2 ? true : null))
    expect(await shown()).toEqual(['rejected page', 'rejected track'])

    await page.getByRole('button', { name: 'Clear filters' }).click()
    await filter('User id', 'u-42')
    await until("u-42's events", async () =>
      (await shown()).join() === 'accepted Payment Made,accepted identify,accepted Pricing' ? true : null,
    )
    await page.getByRole('button', { name: 'Clear filters' }).click()
    await filter('Type', 'page')
    await filter('Event name', 'Docs')
    await until('the Docs visit', async () => ((await shown()).join() === 'accepted Docs' ? true : null))
    await page.getByRole('button', { name: 'Clear filters' }).click()
    await until('every row again', async () => ((await rows().count()) >= 7 ? true : null))
  })

  it('holds new events while paused, counts them, and shows them on resume', async () => {
    await open()
    await until('the stored rows', async () => ((await rows().count()) >= 7 ? true : null))
    const before = await rows().count()
    await page.getByRole('button', { name: 'Pause' }).click()
    await send({ type: 'track', userId: 'u-1', event: 'Paused One', messageId: 'p-1' })
    await send({ type: 'track', userId: 'u-1', event: 'Paused Two', messageId: 'p-2' })
    await page.getByText('2 new while paused').waitFor()
    expect(await rows().count()).toBe(before)
    await page.getByRole('button', { name: 'Resume' }).click()
    await until('the held rows', async () => ((await rows().count()) === before + 2 ? true : null))
    expect((await shown()).slice(0, 2)).toEqual(['accepted Paused Two', 'accepted Paused One'])
    // Send a test event is always there for an owner.
    await page.getByRole('button', { name: 'Send a test event' }).click()
    await rows().filter({ hasText: 'Tractionboard Test Event' }).first().waitFor()
  })

  it('shows a viewer the same rows, and who can send a test event instead of the button', async () => {
    const viewer = { email: 'viewer@example.com', password: 'viewer password 1' }
    const account = await server.store.accounts.create(viewer.email, await hashPassword(viewer.password))
    await server.store.members.set(server.workspaceId, account!.id, 'viewer')
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    context.setDefaultTimeout(8000)
    const own = await context.newPage()
    await own.goto(server.url)
    await own.getByLabel('Email').fill(viewer.email)
    await own.getByLabel('Password').fill(viewer.password)
    await own.getByRole('button', { name: 'Sign in' }).click()
    await own.getByRole('heading', { name: 'Overview', level: 1 }).waitFor({ timeout: 20_000 })
    await own.goto(`${server.url}/live`)
    await own.getByText('payment of $49.00 → user u-42').first().waitFor()
    await own.getByText('Owners and members can send a test event.').waitFor()
    expect(await own.getByRole('button', { name: 'Send a test event' }).count()).toBe(0)
    await context.close()
  })

  it('reads at phone width without the page scrolling sideways', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    await open()
    await until('the stored rows', async () => ((await rows().count()) >= 7 ? true : null))
    const payment = rows().filter({ hasText: 'payment of $49.00' }).first()
    await payment.getByRole('button').click()
    await payment.getByLabel('Raw JSON').waitFor()
    expect(await payment.getByText('payment of $49.00 → user u-42').first().isVisible()).toBe(true)
    const widths = (await page.evaluate(
      '[document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]',
    )) as number[]
    expect(Math.max(widths[0]!, widths[1]!)).toBeLessThanOrEqual(widths[2]!)
    const box = await payment.boundingBox()
    expect(box!.x + box!.width).toBeLessThanOrEqual(390)
  })
})
