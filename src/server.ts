// The HTTP server: ingestion, read API and health, on one port.
import Fastify, { LogController, type FastifyInstance, type FastifyReply } from 'fastify'
import type { Config } from './config.js'
import { errorBody } from './errors.js'
import { apiRoutes } from './api/routes.js'
import { ingestRoutes } from './ingest/routes.js'
import { WorkspaceResolver } from './ingest/workspace-resolver.js'
import { sendTestEvent } from './ingest/ingest-messages.js'
import { LiveFeed } from './live-feed.js'
import { dashboardRoutes } from './dashboard.js'
import { GroupCommitter } from './store/group-commit.js'
import type { Store } from './store/types.js'

export interface ServerDeps {
  config: Pick<Config, 'logLevel' | 'ingestMaxPendingEvents' | 'tokenGraceHours' | 'loginRateLimit'>
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
    // Malformed URLs and the like get the same error shape as everything else.
    frameworkErrors: (error, _request, reply) => {
      void (reply as unknown as FastifyReply).code(400).send(errorBody('invalid_parameter', error.message))
    },
    // A log line per request would cost more than ingesting its events; requests are logged at debug level.
    logController: new LogController({
      disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace',
    }),
  })
  const committer = new GroupCommitter((batches) => store.ingest(batches), {
    maxPendingEvents: config.ingestMaxPendingEvents,
    onCommitError: (error) => app.log.error({ err: error }, 'commit failed'),
  })
  app.addHook('onClose', async () => committer.drain())

  const pipeline = { committer, live: new LiveFeed() }
  await app.register(ingestRoutes, { ...pipeline, resolver: new WorkspaceResolver(store) })
  await app.register(apiRoutes, {
    store,
    live: pipeline.live,
    tokenGraceMs: config.tokenGraceHours * 3_600_000,
    loginRateLimit: config.loginRateLimit,
    sendTestEvent: (workspace) => sendTestEvent(pipeline, workspace),
  })

  app.get('/health', async (_request, reply) => {
    try {
      await store.ping()
      return { status: 'ok' }
    } catch {
      return reply.code(503).send({ status: 'unavailable', ...errorBody('store_unavailable') })
    }
  })
  await dashboardRoutes(app)
  return app
}
