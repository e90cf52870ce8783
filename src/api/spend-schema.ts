// Documentation of the spend routes (src/api/spend.ts).
import { z } from 'zod'
import { empty, ok, operation } from './openapi-schema.js'
import { firstProblem, validated, pathParams } from './validated-parts.js'
import { RANGE_ORDER, dayParam, withRange } from './query-schema.js'
import { spendEntry } from './shapes/spend.js'
import { spendInput } from './spend-input.js'

const entryBody = {
  ...validated(spendInput),
  description:
    '`date`: YYYY-MM-DD, a local day. `amount`: a non-negative number, or a string such as "1,200.50" or "$99". ' +
    '`channel`: empty or absent for none.',
}
const id = pathParams({ id: 'The spend entry id' })

/** GET /api/v1/spend: the entries dated from..to. */
export const spendListQuery = withRange({
  from: dayParam('from', 'First day (default 1970-01-01)'),
  to: dayParam('to', 'Last day, inclusive (default today in the workspace time zone)'),
})

/** The JSON form of POST /api/v1/spend/import. */
export const spendCsvJson = z.object({ csv: z.string().describe('The CSV file') })

export const spendSchemas = {
  add: operation({
    tag: 'Spend',
    summary: 'Add a spend entry',
    access: 'member',
    change: true,
    body: entryBody,
    answers: { 201: ok('The entry', spendEntry) },
  }),

  import: operation({
    tag: 'Spend',
    summary: 'Import a CSV file of spend entries',
    description:
      'Columns `date,amount,channel[,note]`, header row optional. Every row is validated first: all rows are ' +
      'stored, or none (a 400 names every bad line).',
    access: 'member',
    change: true,
    body: {
      content: {
        'text/csv': { schema: { type: 'string', description: 'The CSV file' } },
        'application/json': { schema: validated(spendCsvJson) },
      },
    },
    answers: {
      201: ok('The stored entries', z.object({ imported: z.number().int(), spend: z.array(spendEntry) })),
    },
  }),

  replace: operation({
    tag: 'Spend',
    summary: "Replace a spend entry's fields",
    access: 'member',
    change: true,
    params: id,
    body: entryBody,
    answers: { 200: ok('The entry', spendEntry) },
    errors: ['not_found'],
  }),

  list: operation({
    tag: 'Spend',
    summary: 'The spend entries dated in a range',
    access: 'viewer',
    querystring: validated(spendListQuery, firstProblem(RANGE_ORDER)),
    answers: { 200: ok('The entries, by date then id', z.object({ spend: z.array(spendEntry) })) },
    errors: ['not_found'],
  }),

  remove: operation({
    tag: 'Spend',
    summary: 'Delete a spend entry',
    access: 'member',
    change: true,
    params: id,
    answers: { 204: empty('Deleted') },
    errors: ['not_found'],
  }),
}
