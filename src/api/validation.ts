// Request bodies of the admin API are validated with zod; every problem is listed in one 400.
import type { z } from 'zod'
import { TbError } from '../errors.js'

export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body ?? {})
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
    throw new TbError('invalid_parameter', problems.join('; '))
  }
  return parsed.data
}
