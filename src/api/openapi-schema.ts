// Building blocks of the route schemas, from which @fastify/swagger generates the OpenAPI document
// (src/api/openapi.ts). The same schemas run: a request part built by validated() (validated-parts.ts) carries
// its zod schema, which Fastify's validator compiler (src/api/openapi.ts) runs before the handler, and answers are
// serialised from their response schemas (fast-json-stringify: an answer carries no undeclared key).
// Request inputs are converted from those same zod schemas, so the document cannot drift from what is accepted.
import type { FastifySchema } from 'fastify'
import { z } from 'zod'
import { ERRORS, type ErrorCode } from '../errors.js'
import type { Role } from '../store/types.js'

export type JsonSchema = Record<string, unknown>

/** The tags of the document, in the order of docs/api.md. */
export const TAGS = [
  { name: 'Ingestion', description: 'Segment-compatible endpoints, authenticated with the Token ID.' },
  { name: 'Accounts', description: 'Dashboard accounts and sessions; no workspace.' },
  { name: 'Workspace', description: 'Workspace settings: name, time zone, currency, event mapping, tokens.' },
  { name: 'Members', description: 'Who can see and change a workspace.' },
  { name: 'Metrics', description: 'Metric series, acquisition cost, funnel and cohorts.' },
  { name: 'Spend', description: 'Acquisition spend entries.' },
  { name: 'Exchange rates', description: 'Rates that convert foreign payments into the workspace currency.' },
  { name: 'Users', description: 'Users after identity resolution, and their events.' },
  { name: 'Exports', description: 'Streamed CSV or JSON-lines downloads.' },
  { name: 'Share links', description: 'Read-only investor views, and their public routes.' },
  { name: 'Live', description: 'Live and rejected events, for debugging a source.' },
  { name: 'Health', description: 'Health, readiness and Prometheus metrics.' },
  { name: 'Documentation', description: 'This document.' },
] as const

export type Tag = (typeof TAGS)[number]['name']

/** Security schemes of components.securitySchemes, referenced by the operations. */
export const SECURITY_SCHEMES = {
  tokenBasic: {
    type: 'http',
    scheme: 'basic',
    description:
      'Ingestion: the workspace Token ID (`tb_…`) as the Basic user name, with an empty password ' +
      '(`curl -u "$TOKEN:"`). The Token ID may also be sent as a Bearer token, as `writeKey` in the body, ' +
      'or as `?writeKey=` in the query string (browser beacons cannot set headers).',
  },
  tokenBearer: {
    type: 'http',
    scheme: 'bearer',
    description: 'Ingestion: the workspace Token ID (`tb_…`) as a Bearer token.',
  },
  apiKey: {
    type: 'http',
    scheme: 'bearer',
    description: "The workspace's api_key (`tbk_…`), for scripts. It acts as an owner of its workspace.",
  },
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: 'tb_session',
    description:
      'Dashboard session cookie set by `POST /api/v1/setup` or `POST /api/v1/session`. The workspace is chosen ' +
      'with the `X-Workspace-Id` header (or `?workspace=ID`); the account’s role in it applies.',
  },
  csrf: {
    type: 'apiKey',
    in: 'header',
    name: 'X-CSRF-Token',
    description:
      'With a session cookie, every change needs the `csrf_token` of `GET /api/v1/me` in this header.',
  },
  metricsToken: {
    type: 'http',
    scheme: 'bearer',
    description: '`GET /metrics` only, when `METRICS_TOKEN` is set.',
  },
} as const

type SchemeName = keyof typeof SECURITY_SCHEMES
type Security = Array<Partial<Record<SchemeName, string[]>>>

/** The shared error body, `components.schemas.Error`. */
export const ERROR_SCHEMA = {
  $id: 'Error',
  type: 'object',
  description: 'Every error answer; the codes are stable (docs/api.md lists them).',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: Object.keys(ERRORS) },
        message: { type: 'string' },
      },
    },
  },
} as const

/** A reference to a schema registered with addSchema (components.schemas, named by its $id). */
export function ref(id: string): JsonSchema {
  return { $ref: `${id}#` }
}

export const errorRef = ref(ERROR_SCHEMA.$id)

const converted = {
  input: new WeakMap<z.ZodType, JsonSchema>(),
  output: new WeakMap<z.ZodType, JsonSchema>(),
}

/** zod states the safe-integer range of every integer; the document does not need it. */
function withoutSafeIntegerBounds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSafeIntegerBounds)
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(
    Object.entries(value)
      .filter(
        ([key, v]) =>
          !(key === 'minimum' && v === Number.MIN_SAFE_INTEGER) &&
          !(key === 'maximum' && v === Number.MAX_SAFE_INTEGER),
      )
      .map(([key, v]) => [key, withoutSafeIntegerBounds(v)]),
  )
}

/** The JSON Schema (OpenAPI 3.0 dialect) of what a zod schema accepts (documentation: nothing runs it). */
export function input(schema: z.ZodType): JsonSchema {
  return toJsonSchema(schema, 'input')
}

/**
 * The JSON Schema of what a zod schema produces: an answer. Its objects are closed (`additionalProperties:
 * false`): an answer carries the fields declared, no other (test/api/response-contract.test.ts checks it).
 */
export function output(schema: z.ZodType): JsonSchema {
  return toJsonSchema(schema, 'output')
}

function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  let json = converted[io].get(schema)
  if (json === undefined) {
    const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
      target: 'openapi-3.0',
      io,
      // Refinements and transforms (a date that must parse, an amount string) are described, not expressed.
      unrepresentable: 'any',
    }) as JsonSchema
    json = withoutSafeIntegerBounds(rest) as JsonSchema
    converted[io].set(schema, json)
  }
  return json
}

// @fastify/swagger takes an answer's description from this key and leaves it out of the body's schema.
const RESPONSE_DESCRIPTION = 'x-response-description'

/** A JSON answer: its description and the shape of its body (a zod schema or a JSON Schema). */
export function ok(description: string, shape: z.ZodType | JsonSchema): JsonSchema {
  const json = shape instanceof z.ZodType ? output(shape) : shape
  // Beside a $ref only `description` is read (the other keys are dropped).
  return { ['$ref' in json ? 'description' : RESPONSE_DESCRIPTION]: description, ...json }
}

/** An answer without a body. */
export function empty(description: string): JsonSchema {
  return { description, type: 'null' }
}

/** A non-JSON answer, one body schema per content type. */
export function content(description: string, types: Record<string, JsonSchema>): JsonSchema {
  return {
    [RESPONSE_DESCRIPTION]: description,
    content: Object.fromEntries(Object.entries(types).map(([type, schema]) => [type, { schema }])),
  }
}

/** The error answers of these codes, one per status, each listing its codes. */
export function errors(codes: ErrorCode[]): Record<number, JsonSchema> {
  const byStatus = new Map<number, ErrorCode[]>()
  for (const code of new Set(codes)) {
    const status = ERRORS[code].status
    byStatus.set(status, [...(byStatus.get(status) ?? []), code])
  }
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      status,
      { description: list.map((c) => `\`${c}\`: ${ERRORS[c].message}`).join('. '), ...errorRef },
    ]),
  )
}

/** Who may call an operation: anyone, a dashboard session (no workspace), or at least this role. */
export type Access = 'public' | 'session' | Role

export interface Operation {
  tag: Tag
  summary: string
  description?: string
  access: Access
  /** True for a change (POST, PUT, PATCH, DELETE): a session must then send X-CSRF-Token. */
  change?: boolean
  /** The credentials are used when given, but not required. */
  optional?: boolean
  /** The successful answers, by status. */
  answers: Record<number, JsonSchema>
  /** The error codes of this operation beyond those every route of its kind can answer. */
  errors?: ErrorCode[]
  querystring?: JsonSchema
  params?: JsonSchema
  headers?: JsonSchema
  body?: JsonSchema
  consumes?: string[]
}

const WORKSPACE_HEADERS = {
  type: 'object',
  properties: {
    'X-Workspace-Id': {
      type: 'integer',
      description:
        'Dashboard sessions: the workspace (default: the smallest id of the account’s workspaces). ' +
        'Also accepted as the `workspace` query parameter. Ignored with an api_key.',
    },
  },
} as const

function securityOf(op: Operation): Security {
  if (op.access === 'public') return []
  const session: Security[number] = op.change === true ? { session: [], csrf: [] } : { session: [] }
  const schemes: Security = op.access === 'session' ? [session] : [{ apiKey: [] }, session]
  return op.optional === true ? [...schemes, {}] : schemes
}

function errorsOf(op: Operation): ErrorCode[] {
  const change = op.change === true
  const common: ErrorCode[] = op.access === 'public' || op.optional === true ? [] : ['unauthorized']
  if (op.access !== 'public' && op.access !== 'session') common.push('forbidden')
  if (op.access !== 'public' && change) common.push('csrf_failed')
  if (op.body !== undefined) common.push('invalid_parameter', 'request_too_large', 'unsupported_media_type')
  if (op.querystring !== undefined || op.params !== undefined) common.push('invalid_parameter')
  return [...common, ...(op.errors ?? []), 'store_unavailable', 'internal_error']
}

const ROLE_TEXT: Record<Access, string> = {
  public: 'Public: no authentication.',
  session: 'Dashboard session only (an api_key is refused).',
  viewer: 'Role: viewer.',
  member: 'Role: member.',
  owner: 'Role: owner.',
}

/**
 * The `schema` option of a route: the document's operation, the validation of the parts built by validated()
 * and the serialisation of its JSON answers (see the top of this file). Headers only document: the auth hook
 * reads them before validation runs.
 */
export function operation(op: Operation): FastifySchema {
  const workspace = op.access !== 'public' && op.access !== 'session'
  const headers = workspace
    ? {
        type: 'object',
        properties: {
          ...WORKSPACE_HEADERS.properties,
          ...((op.headers?.['properties'] as JsonSchema | undefined) ?? {}),
        },
      }
    : op.headers
  return {
    summary: op.summary,
    description: [ROLE_TEXT[op.access], op.description].filter(Boolean).join(' '),
    tags: [op.tag],
    security: securityOf(op),
    ...(op.querystring && { querystring: op.querystring }),
    ...(op.params && { params: op.params }),
    ...(headers && { headers }),
    ...(op.body && { body: op.body }),
    ...(op.consumes && { consumes: op.consumes }),
    response: { ...op.answers, ...errors(errorsOf(op)) },
  }
}

/** A JSON Schema of an object with these descriptions (and any other keywords) added to its properties. */
export function annotate(schema: JsonSchema, properties: Record<string, JsonSchema>): JsonSchema {
  const own = (schema['properties'] ?? {}) as Record<string, JsonSchema>
  return {
    ...schema,
    properties: Object.fromEntries(
      Object.entries(own).map(([name, s]) => [name, { ...s, ...properties[name] }]),
    ),
  }
}

// Shapes used by several areas (src/api/shapes/: zod only, shared with the web app).
export { day, isoTime } from './shapes/common.js'
