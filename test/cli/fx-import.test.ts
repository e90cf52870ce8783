// `tractionboard fx import`: a CSV of date,currency,rate, or the ECB's reference-rate history turned into cross
// rates for the workspace currency; a bad file stores nothing; a change starts a metrics rebuild.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { parseDay } from '../../src/model/calendar.js'
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import { runCli } from '../helpers/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'tb-cli-fx-'))
const path = join(dir, 'tb.db')
const env = { DATABASE_URL: `sqlite:${path}` }
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/fx/${name}`, import.meta.url))
const day = (date: string) => parseDay(date)!

/** The workspace's rates and rebuild state, read from the database the command wrote. */
async function stored(ws: number) {
  const store = new SqliteStore({ path })
  try {
    return { rates: await store.fxRates.list(ws), rebuild: (await store.rebuilds.progress(ws)).state }
  } finally {
    await store.close()
  }
}

function workspace(currency: string): number {
  const created = runCli(['workspace', 'create', '--name', currency, '--currency', currency, '--json'], env)
  expect(created.status, created.stderr).toBe(0)
  return (JSON.parse(created.stdout) as { id: number }).id
}

const fxImport = (file: string, ws: number) => runCli(['fx', 'import', file, '--workspace', String(ws)], env)

describe('tractionboard fx import', () => {
  const usd = workspace('USD')
  const eur = workspace('EUR')

  it('imports a CSV of date,currency,rate and says that a rebuild was started', async () => {
    const out = fxImport(fixture('rates.csv'), usd)
    expect(out.stderr).toBe('')
    expect(out.status).toBe(0)
    expect(out.stdout).toContain('Imported 3 exchange rates')
    expect(out.stdout).toContain('A metrics rebuild was started')
    expect(await stored(usd)).toEqual({
      rates: [
        { currency: 'EUR', day: day('2024-03-01'), rate: 1.0833 },
        { currency: 'EUR', day: day('2024-03-02'), rate: 1.0842 },
        { currency: 'GBP', day: day('2024-03-01'), rate: 1.2651 },
      ],
      rebuild: 'queued',
    })
    // The same file again changes nothing.
    const again = fxImport(fixture('rates.csv'), usd)
    expect(again.stdout).toContain('Imported 3 exchange rates')
    expect(again.stdout).toContain('(0 new or changed)')
    expect(again.stdout).toContain('no metrics rebuild was needed')
  })

  it('computes cross rates into a USD workspace from the ECB history, skipping dates without USD', async () => {
    const out = fxImport(fixture('eurofxref-hist.csv'), usd)
    expect(out.stderr).toBe('')
    expect(out.stdout).toContain('Imported 13 exchange rates into USD from ECB reference rates')
    const rates = (await stored(usd)).rates.filter((r) => r.day !== day('2024-03-02'))
    const cross = (date: string, usdPerEur: number, perEur: Record<string, number>) =>
      Object.entries({ EUR: 1, ...perEur }).map(([currency, value]) => ({
        currency,
        day: day(date),
        rate: usdPerEur / value,
      }))
    const expected = [
      ...cross('2024-03-05', 1.0857, { JPY: 162.51, GBP: 0.8542, CHF: 0.9618 }),
      ...cross('2024-03-04', 1.085, { JPY: 162.74, GBP: 0.85565, CHF: 0.9603 }),
      ...cross('2007-12-31', 1.4721, { JPY: 164.93, GBP: 0.73335, CYP: 0.585274, CHF: 1.6547 }),
    ]
    // The rates of rates.csv for 2024-03-01 stay (the ECB has no USD that day); the others are the file's.
    expected.push(
      { currency: 'EUR', day: day('2024-03-01'), rate: 1.0833 },
      { currency: 'GBP', day: day('2024-03-01'), rate: 1.2651 },
    )
    const order = (a: { currency: string; day: number }, b: { currency: string; day: number }) =>
      a.currency.localeCompare(b.currency) || a.day - b.day
    expect(rates).toEqual(expected.sort(order))
    // Not rounded: the quotient as a double.
    expect(rates.find((r) => r.currency === 'JPY' && r.day === day('2024-03-05'))!.rate).toBe(1.0857 / 162.51)
  })

  it('gives EUR workspaces the inverse of the ECB rates, for every date', async () => {
    const out = fxImport(fixture('eurofxref-hist.csv'), eur)
    expect(out.stderr).toBe('')
    expect(out.stdout).toContain('Imported 16 exchange rates into EUR')
    const { rates, rebuild } = await stored(eur)
    expect(rebuild).toBe('queued')
    expect(rates.filter((r) => r.day === day('2024-03-01'))).toEqual([
      { currency: 'CHF', day: day('2024-03-01'), rate: 1 / 0.9567 },
      { currency: 'GBP', day: day('2024-03-01'), rate: 1 / 0.857 },
      { currency: 'JPY', day: day('2024-03-01'), rate: 1 / 161.97 },
    ])
    expect(rates.some((r) => r.currency === 'EUR')).toBe(false)
  })

  it('stores nothing from a bad file, naming what is wrong, and exits non-zero', async () => {
    const ws = workspace('GBP')
    const bad = (name: string, text: string, ...fragments: string[]) => {
      const file = join(dir, name)
      writeFileSync(file, text)
      const out = fxImport(file, ws)
      expect([name, out.status === 0]).toEqual([name, false])
      expect(out.stdout).toBe('')
      for (const fragment of fragments) expect(out.stderr).toContain(fragment)
    }
    bad(
      'rows.csv',
      'date,currency,rate\n2024-03-01,EUR,1.17\n2024-02-30,EUR,1\n2024-03-01,usd,1\n2024-03-01,CHF,0\n' +
        '2024-03-01,CHF,abc\n2024-03-01,GBP,1\n2024-03-01,EUR,1.18\n',
      'line 3: date',
      'line 4: currency',
      'line 5: rate',
      'line 6: rate',
      'line 7: currency GBP is the workspace currency',
      'line 8: EUR on 2024-03-01 is given twice (also line 2)',
    )
    bad(
      'ecb.csv',
      'Date,USD,GBP,\n2024-03-05,1.0857,0.8542,\n2024-03-04,-1,0.85,\n2024-13-01,1,1,\n2024-03-05,1,1,\n',
      'line 3: USD must be a number > 0 or N/A',
      'line 4: date',
      'line 5: 2024-03-05 is given twice (also line 2)',
    )
    bad('no-gbp.csv', 'Date,USD,JPY,\n2024-03-05,1.0857,162.51,\n', 'has no GBP column')
    bad('header.csv', 'day,amount\n2024-03-05,1\n', 'the first line must be the header')
    bad('empty.csv', '', 'the file is empty')
    bad('only-header.csv', 'date,currency,rate\n', 'the file holds no rates')
    bad('malformed.csv', 'date,currency,rate\n2024-03-01,"EUR,1\n', 'malformed')
    expect(await stored(ws)).toEqual({ rates: [], rebuild: 'idle' })
  })

  it('refuses a missing file or workspace', () => {
    expect(fxImport(join(dir, 'none.csv'), usd).stderr).toContain('Cannot read')
    const out = fxImport(fixture('rates.csv'), 42)
    expect(out.status).not.toBe(0)
    expect(out.stderr).toContain('No workspace 42')
  })
})
