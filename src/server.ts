// The HTTP server: ingestion, read API and health, on one port.
import Fastify, { LogController, type FastifyInstance, type FastifyReply } from 'fastify'
import type { Config } from './config.js'
import { errorBody } from './errors.js'
import { clientErrorHandler, sendError, shapeErrorAnswers } from './http-errors.js'
import { apiRoutes } from './api/routes.js'
import { ingestRoutes } from './ingest/routes.js'
import { rudderstackRoutes } from './ingest/rudderstack.js'
import { segmentCdnRoutes } from './ingest/segment-cdn/routes.js'
import { WorkspaceResolver } from './ingest/workspace-resolver.js'
import { ParsePool } from './ingest/parse-pool.js'
import { sendTestEvent } from './ingest/ingest-messages.js'
import { LiveFeed } from './live-feed.js'
import { RebuildRunner } from './store/rebuild-runner.js'
import { LiveStreams } from './api/live-streams.js'
import { Revocations } from './api/revocations.js'
import { dashboardRoutes } from './dashboard.js'
import { metricsDocsRoute } from './docs/metrics-page.js'
import { trackerScriptRoutes } from './ingest/tracker-script.js'
import { fastifyTrustProxy } from './trust-proxy.js'
import { GroupCommitter } from './store/group-commit.js'
import type { Store } from './store/types.js'
import { loggerOptions, requestId } from './observability/logging.js'
import { installObservability } from './observability/plugin.js'
import { installOpenApi } from './api/openapi.js'
import { healthSchemas } from './api/health-schema.js'
import { loadShareKey } from './share-key.js'

export interface ServerDeps {
  /** The whole configuration (loadConfig's, defaults applied there: none here); tests build it with testConfig. */
  config: Config
  store: Store
}

export async function buildServer({ config, store }: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // JSON lines with a request id; tokens, cookies and signatures are redacted (src/observability/logging.ts).
    logger: loggerOptions(config.logLevel),
    genReqId: requestId,
    requestIdHeader: false,
    trustProxy: fastifyTrustProxy(config.trustProxy),
    // Outside the ingestion endpoints, whose limits are Segment's (src/ingest/limits.ts).
    bodyLimit: config.bodyLimit,
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    // Malformed URLs and the like get the same error shape as everything else.
    frameworkErrors: (error, _request, reply) => {
      void (reply as unknown as FastifyReply).code(400).send(errorBody('invalid_parameter', error.message))
    },
    // …and so do requests Node's HTTP parser refuses (malformed, headers too large, too slow).
    clientErrorHandler,
    // A log line per request would cost more than ingesting its events; requests are logged at debug level.
    logController: new LogController({
      disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace',
    }),
  })
  // Every error answer in the catalog's shape, those of plugins and of Fastify itself included: first, so that
  // every route and plugin registered below inherits them.
  app.setErrorHandler(sendError)
  shapeErrorAnswers(app)
  // The timeouts above end each slow or idle connection in time; this bounds how many there are at once, so a
  // flood of sockets cannot exhaust file descriptors or memory. Past it, Node closes a new connection at once.
  app.server.maxConnections = config.maxConnections
  // GET /api/openapi.json and /api/docs: first, as the document is made of the routes registered after it.
  await installOpenApi(app)
  // /metrics, /ready, X-Request-Id: before the other routes, so its hooks apply to all of them.
  const { metrics } = installObservability(app, { store, metricsToken: config.metricsToken })
  const committer = new GroupCommitter(
    metrics.timedCommit((batches) => store.ingest.commit(batches)),
    {
      maxPendingEvents: config.ingestMaxPendingEvents,
      onCommitError: (error) => app.log.error({ err: error }, 'commit failed'),
    },
  )
  metrics.watchQueue(() => committer.pending)
  app.addHook('onClose', async () => committer.drain())
  const parsePool = new ParsePool(config.ingestParseWorkers, (on) => metrics.preparedOffThread(on))
  app.addHook('onClose', async () => parsePool.close())

  const pipeline = { committer, live: new LiveFeed() }
  // Rebuilds (a change of settings, a rebuild left by a restart or started by the CLI, a workspace marked
  // rebuild_needed by a migration: started when the runner starts) run in slices between commits; shutdown
  // waits for the slice under way only.
  const rebuilds = new RebuildRunner(store.rebuilds, {
    onError: (error) => app.log.error({ err: error }, 'rebuild slice failed'),
    onStartedNeeded: (workspaces) =>
      app.log.info({ workspaces }, 'rebuilds started: metrics counted under older definitions'),
  })
  app.addHook('onReady', async () => rebuilds.start())
  app.addHook('preClose', async () => rebuilds.stop())
  const revocations = new Revocations()
  const liveStreams = new LiveStreams(
    { maxStreams: config.liveMaxStreams, maxPerAccount: config.liveMaxStreamsPerAccount },
    revocations,
  )
  // Live streams never end by themselves: closing would wait for them until the shutdown timeout.
  app.addHook('preClose', async () => liveStreams.endAll())
  // One Token ID cache for ingestion and for what browser SDKs load before they send.
  const resolver = new WorkspaceResolver(store, (error) =>
    app.log.warn({ err: error }, 'could not keep a Token ID showable; tried again at its next lookup'),
  )
  await app.register(ingestRoutes, {
    ...pipeline,
    resolver,
    observer: metrics,
    rateLimitPerSecond: config.ingestRateLimit,
    deleteUser: (workspaceId, id) => store.users.delete(workspaceId, id),
    parsePool,
  })
  await app.register(apiRoutes, {
    store,
    live: pipeline.live,
    liveStreams,
    liveStallTimeoutMs: config.liveStallTimeoutMs,
    revocations,
    tokenGraceMs: config.tokenGraceHours * 3_600_000,
    loginRateLimit: config.loginRateLimit,
    publicUrl: config.publicUrl,
    maxWorkspacesPerAccount: config.maxWorkspacesPerAccount,
    sendTestEvent: (workspace) => sendTestEvent(pipeline, workspace),
    kickRebuild: () => rebuilds.kick(),
    shareKey: loadShareKey(config),
  })

  app.get('/health', { schema: healthSchemas.health }, async (_request, reply) => {
    try {
      await store.ping()
      return { status: 'ok' }
    } catch {
      return reply.code(503).send({ status: 'unavailable', ...errorBody('store_unavailable') })
    }
  })
  await app.register(segmentCdnRoutes, { resolver, publicUrl: config.publicUrl })
  await app.register(rudderstackRoutes, { resolver })
  trackerScriptRoutes(app)
  metricsDocsRoute(app)
  await dashboardRoutes(app)
  return app
}
