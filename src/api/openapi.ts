// The route schemas (src/api/*-schema.ts) used three ways: the OpenAPI 3 document of the HTTP API, generated
// by @fastify/swagger (GET /api/openapi.json, browsable with Swagger UI at /api/docs); the validation of request
// parts built from zod schemas (openapi-schema.ts, validated()); and the serialisation of JSON answers by
// Fastify's default serializer compiler (fast-json-stringify), so an answer never carries an undeclared key.
import { readFileSync } from 'node:fs'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchema,
  FastifySchemaCompiler,
  RouteOptions,
} from 'fastify'
import { TbError } from '../errors.js'
import { healthSchemas } from './health-schema.js'
import { INGEST_SCHEMAS } from './ingest-schema.js'
import { ERROR_SCHEMA, SECURITY_SCHEMES, TAGS } from './openapi-schema.js'
import { validatorOf } from './validated-parts.js'

export const OPENAPI_PATH = '/api/openapi.json'
export const DOCS_PATH = '/api/docs'

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version

const DESCRIPTION = [
  'Self-hosted traction metrics fed by Segment: the Segment-compatible ingestion endpoints under `/v1`, the API',
  'under `/api/v1` (used by the dashboard, scripts and share links), and health checks. Every error answer is',
  '`{"error":{"code","message"}}` with a stable code. docs/api.md has the details and a curl example per endpoint.',
].join(' ')

/** Routes registered by code without route schemas of its own (src/observability/plugin.ts). */
const DOCUMENTED_ELSEWHERE: Record<string, FastifySchema> = {
  'GET /ready': healthSchemas.ready,
  'GET /metrics': healthSchemas.metrics,
}

const documentSchema: FastifySchema = {
  summary: 'This OpenAPI document',
  description: 'Browsable at /api/docs.',
  tags: ['Documentation'],
  security: [],
  response: { 200: { description: 'The OpenAPI 3.0 document', type: 'object', additionalProperties: true } },
}

/**
 * Runs the zod schema of a request part built by validated(): the handler gets the parsed value; a failure is
 * a 400 `invalid_parameter` (src/http-errors.ts answers it). A part declared as plain JSON Schema only documents
 * (headers, read by the auth hook before validation; the text/csv body of the spend import, read row by row).
 */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const validator = validatorOf(schema)
  if (validator === undefined) return () => true
  return (data: unknown) => {
    // Fastify hands a missing body as null; a body-less request is an empty object, as before.
    const parsed = validator.schema.safeParse(httpPart === 'body' ? (data ?? {}) : data)
    return parsed.success
      ? { value: parsed.data }
      : { error: new TbError('invalid_parameter', validator.problems(parsed.error.issues)) }
  }
}

/** The Segment-compatible endpoints (src/ingest/) parse their bytes themselves; their schemas only document. */
function isIngestion(route: RouteOptions): boolean {
  return (route.schema as { tags?: string[] } | undefined)?.tags?.includes('Ingestion') === true
}

/** One JSON answer: the value the handler gave, and the text sent for it. */
export interface SerialisedAnswer {
  route: string
  status: number
  value: unknown
  sent: string
}

/**
 * For tests only (test/api/openapi.test.ts, test/api/response-contract.test.ts): set before the server's routes
 * are registered, `route` is told of every route and its schema, and `answer` of every JSON answer serialised
 * from a response schema with the value the handler gave, so that a test can check that the serialiser changed
 * nothing (fast-json-stringify would truncate a float declared integer, or drop an undeclared key).
 */
export const contractProbe: {
  route: ((route: RouteOptions) => void) | null
  answer: ((answer: SerialisedAnswer) => void) | null
} = { route: null, answer: null }

function probe(route: RouteOptions, observe: (answer: SerialisedAnswer) => void): void {
  const values = new WeakMap<FastifyRequest, unknown>()
  const hooks = (existing: unknown): unknown[] =>
    existing === undefined ? [] : Array.isArray(existing) ? existing : [existing]
  route.preSerialization = [
    ...(hooks(route.preSerialization) as never[]),
    (
      request: FastifyRequest,
      _reply: FastifyReply,
      payload: unknown,
      done: (e: null, p: unknown) => void,
    ) => {
      values.set(request, payload)
      done(null, payload)
    },
  ] as never
  route.onSend = [
    ...(hooks(route.onSend) as never[]),
    (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (e: null, p: unknown) => void) => {
      if (values.has(request) && typeof payload === 'string') {
        const url = route.url.replace(/:(\w+)/g, '{$1}')
        observe({
          route: `${route.method as string} ${url}`,
          status: reply.statusCode,
          value: values.get(request),
          sent: payload,
        })
      }
      done(null, payload)
    },
  ] as never
}

/**
 * The document and its pages. Call it on the root instance before any route is registered: the document is
 * made of the routes registered after it.
 */
export async function installOpenApi(app: FastifyInstance): Promise<void> {
  // Request parts built from zod schemas are validated by them; answers are serialised from their response
  // schemas by Fastify's default serializer compiler. The ingestion endpoints keep their byte-level parsing
  // and answer as they always did.
  app.setValidatorCompiler(validatorCompiler)
  app.addHook('onRoute', (route) => {
    if (isIngestion(route)) {
      route.validatorCompiler = () => () => true
      route.serializerCompiler = () => (data) => JSON.stringify(data)
      return
    }
    contractProbe.route?.(route)
    if (contractProbe.answer !== null && route.schema?.response !== undefined)
      probe(route, contractProbe.answer)
  })
  for (const schema of [ERROR_SCHEMA, ...INGEST_SCHEMAS]) app.addSchema(schema)

  await app.register(swagger, {
    mode: 'dynamic',
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Tractionboard', version: VERSION, description: DESCRIPTION },
      tags: TAGS.map((tag) => ({ ...tag })),
      components: { securitySchemes: SECURITY_SCHEMES },
    },
    // Shared schemas are named by their $id in components.schemas ("Error", not "def-0").
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json['$id'] === 'string' ? json['$id'] : `def-${i}`,
    },
    transform: ({ schema, url, route }) => ({
      schema: schema ?? DOCUMENTED_ELSEWHERE[`${String(route.method)} ${url}`] ?? {},
      url,
    }),
  })

  app.get(OPENAPI_PATH, { schema: documentSchema }, async () => app.swagger())

  // Its assets are files under /api/docs/static/: nothing inline, so the dashboard's CSP applies as it is.
  await app.register(swaggerUi, {
    routePrefix: DOCS_PATH,
    theme: { title: 'Tractionboard API' },
    uiConfig: { layout: 'BaseLayout', deepLinking: true, docExpansion: 'list', defaultModelsExpandDepth: 0 },
    uiHooks: {
      // The plugin redirects static/index.html to the page, but with a query string to itself: a loop.
      onRequest: (request, reply, done) => {
        const [path, query] = request.url.split('?')
        if (path === `${DOCS_PATH}/static/index.html` && query !== undefined)
          void reply.redirect(`${DOCS_PATH}/`)
        else done()
      },
    },
  })
}
