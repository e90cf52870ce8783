// The HTTP server: ingestion, read API and health, on one port.
import Fastify, { LogController, type FastifyInstance, type FastifyReply } from 'fastify'
import type { Config } from './config.js'
import { errorBody } from './errors.js'
import { apiRoutes } from './api/routes.js'
import { ingestRoutes } from './ingest/routes.js'
import { WorkspaceResolver } from './ingest/workspace-resolver.js'
import { GroupCommitter } from './store/group-commit.js'
import type { Store } from './store/types.js'

export interface ServerDeps {
  config: Pick<Config, 'logLevel' | 'ingestMaxPendingEvents'>
  store: Store
}

export async function buildServer({ config, store }: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      // Tokens travel in these headers; they never reach the logs.
      redact: [
        'req.headers.authorization',
        'req.headers["x-signature"]',
        'req.headers["x-segment-signature"]',
      ],
    },
    // A log line per request would cost more than ingesting its events; requests are logged at debug level.
    // Malformed URLs and the like get the same error shape as everything else.
    frameworkErrors: (error, _request, reply) => {
      void (reply as unknown as FastifyReply).code(400).send(errorBody('invalid_parameter', error.message))
    },
    logController: new LogController({
      disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace',
    }),
  })
  const committer = new GroupCommitter((batches) => store.ingest(batches), {
    maxPendingEvents: config.ingestMaxPendingEvents,
    onCommitError: (error) => app.log.error({ err: error }, 'commit failed'),
  })
  app.addHook('onClose', async () => committer.drain())

  await app.register(ingestRoutes, { resolver: new WorkspaceResolver(store), committer })
  await app.register(apiRoutes, { store })

  app.get('/health', async (_request, reply) => {
    try {
      await store.ping()
      return { status: 'ok' }
    } catch {
      return reply.code(503).send({ status: 'unavailable', ...errorBody('store_unavailable') })
    }
  })
  app.setNotFoundHandler((request, reply) => {
    void reply
      .code(404)
      .send(errorBody('not_found', `No route ${request.method} ${request.url.split('?')[0]}`))
  })
  return app
}
