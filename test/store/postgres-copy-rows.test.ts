// COPY's text format (src/store/postgres/copy-rows.ts): every string comes back byte for byte, and a duplicate
// key is told apart from other failures, leaving the connection usable.
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyField, copyRows, isUniqueViolation } from '../../src/store/postgres/copy-rows.js'
import { pgTestUrl } from '../helpers/postgres.js'

const ODD = [
  'plain',
  '',
  'tab\there',
  'line\nfeed and\r\nCRLF',
  'back\\slash',
  '\\N',
  '\\.',
  'end\n\\.\n',
  '{"a":"q\\"uote","b":"\\n"}',
  'Zoë 😀',
]

describe('copyField', () => {
  it('writes NULL as \\N and escapes only backslash, tab and line breaks', () => {
    expect(copyField(null)).toBe('\\N')
    expect(copyField(-12.5)).toBe('-12.5')
    expect(copyField('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re')
    expect(copyField('\\N')).toBe('\\\\N')
    expect(copyField('Zoë "x"')).toBe('Zoë "x"')
  })
})

const url = pgTestUrl()

describe.runIf(url !== null)('copyRows on PostgreSQL', () => {
  let pool: pg.Pool
  let client: pg.PoolClient
  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: url!, max: 1 })
    client = await pool.connect()
    await client.query('CREATE TEMP TABLE copy_probe (k text PRIMARY KEY, n bigint, v text)')
  })
  afterAll(async () => {
    client?.release()
    await pool?.end()
  })

  it('stores every string and NULL exactly', async () => {
    await client.query('TRUNCATE copy_probe')
    await copyRows(client, 'copy_probe', 'k, n, v', [
      ...ODD.map((s, i) => [`k${i}`, i, s]),
      ['null', null, null],
    ])
    const { rows } = await client.query<{ k: string; n: string | null; v: string | null }>(
      'SELECT k, n, v FROM copy_probe ORDER BY n NULLS LAST',
    )
    expect(rows.map((r) => r.v)).toEqual([...ODD, null])
    expect(rows.at(-1)).toEqual({ k: 'null', n: null, v: null })
  })

  it('tells a duplicate key from other errors, and the connection goes on', async () => {
    await client.query('TRUNCATE copy_probe')
    await copyRows(client, 'copy_probe', 'k, n, v', [['a', 1, 'x']])
    const duplicate = await copyRows(client, 'copy_probe', 'k, n, v', [
      ['b', 2, 'y'],
      ['a', 3, 'z'],
    ]).catch((e: unknown) => e)
    expect(isUniqueViolation(duplicate)).toBe(true)
    const badNumber = await copyRows(client, 'copy_probe', 'k, n, v', [['c', 'many', 'w']]).catch(
      (e: unknown) => e,
    )
    expect(badNumber).toBeInstanceOf(Error)
    expect(isUniqueViolation(badNumber)).toBe(false)
    // Neither failure stored anything.
    const { rows } = await client.query<{ k: string }>('SELECT k FROM copy_probe ORDER BY k')
    expect(rows.map((r) => r.k)).toEqual(['a'])
  })
})
