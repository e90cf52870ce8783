// Request parts Fastify validates (body, querystring, params): built by validated() from a zod schema, which
// the validator compiler (openapi.ts) runs before the handler; the same schema documents the part in the
// OpenAPI document (input()). A failure answers 400 `invalid_parameter` with the message its Problems make.
import { z } from 'zod'
import { input, type JsonSchema } from './openapi-schema.js'

/** How the problems of an invalid request part make the message of its 400 `invalid_parameter`. */
export type Problems = (issues: readonly z.core.$ZodIssue[]) => string

/** Request bodies: every problem, `path: message` (`body: …` for the body itself), joined by "; ". */
export const bodyProblems: Problems = (issues) =>
  issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')

/** Query strings: every problem, `"name": message` (the message alone for the whole query), joined by "; ". */
export const queryProblems: Problems = (issues) =>
  issues.map((i) => (i.path.length === 0 ? i.message : `"${i.path.join('.')}": ${i.message}`)).join('; ')

/**
 * The first problem only, its message as it is, the parameters taken in this order (the metric parsers stop
 * at the first problem, and their messages name the parameter).
 */
export function firstProblem(order: readonly string[]): Problems {
  const rank = (issue: z.core.$ZodIssue) => {
    const i = order.indexOf(String(issue.path[0] ?? ''))
    return i === -1 ? order.length : i
  }
  return (issues) => [...issues].sort((a, b) => rank(a) - rank(b))[0]?.message ?? 'invalid input'
}

/** What the validator compiler runs for a request part built by validated(). */
export interface PartValidator {
  schema: z.ZodType
  problems: Problems
}

// A symbol key: it survives the spreads that add a description (`{ ...validated(s), description }`), and
// stays out of the document (@fastify/swagger and JSON see string keys only).
const VALIDATOR = Symbol('tractionboard.validator')

/**
 * The JSON Schema of a request part (body, querystring or params) that Fastify validates with this zod schema:
 * the handler gets the parsed (transformed) value, a failure answers 400 `invalid_parameter` with the message
 * `problems` makes of its issues.
 */
export function validated(
  schema: z.ZodType,
  problems: Problems = bodyProblems,
  /** The schema the document shows, when the one that validates cannot say it (a record parsed by hand). */
  documented: z.ZodType = schema,
): JsonSchema {
  return { ...input(documented), [VALIDATOR]: { schema, problems } satisfies PartValidator }
}

/** The zod schema a request part was built from by validated(); undefined for a plain JSON Schema. */
export function validatorOf(json: unknown): PartValidator | undefined {
  if (typeof json !== 'object' || json === null) return undefined
  return (json as { [VALIDATOR]?: PartValidator })[VALIDATOR]
}

/** Path parameters, each a string with its description (validated: the handler gets exactly these keys). */
export function pathParams(params: Record<string, string>): JsonSchema {
  return validated(
    z.object(
      Object.fromEntries(
        Object.entries(params).map(([name, description]) => [name, z.string().describe(description)]),
      ),
    ),
    queryProblems,
  )
}
