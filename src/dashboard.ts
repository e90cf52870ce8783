// Serves the built dashboard (web/dist) on the same port as the API, with the SPA's client-side routes.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { errorBody } from './errors.js'

/** web/dist from both src/ (tests) and dist/ (built): each sits one level below the project root. */
export const DASHBOARD_DIR = fileURLToPath(new URL('../web/dist/', import.meta.url))

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // uPlot and React position elements with inline styles.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ')

/**
 * A navigation to one of the app's pages: a GET outside the API with no file extension, or one a browser
 * asks for as HTML — a user page such as /users/jane@acme.com ends like a file name.
 */
function isPageRequest(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0] ?? ''
  if (request.method !== 'GET' || path.startsWith('/api/') || path.startsWith('/v1/')) return false
  return !/\.\w+$/.test(path) || (request.headers.accept ?? '').includes('text/html')
}

export async function dashboardRoutes(app: FastifyInstance): Promise<void> {
  app.addHook('onSend', async (_request, reply) => {
    void reply.header('x-content-type-options', 'nosniff')
    void reply.header('referrer-policy', 'same-origin')
    void reply.header('content-security-policy', CSP)
  })
  const built = existsSync(`${DASHBOARD_DIR}index.html`)
  if (built) await app.register(fastifyStatic, { root: DASHBOARD_DIR, wildcard: false, index: false })
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    if (isPageRequest(request)) {
      if (built) return reply.type('text/html; charset=utf-8').sendFile('index.html')
      return reply.code(503).send(errorBody('dashboard_not_built'))
    }
    return reply
      .code(404)
      .send(errorBody('not_found', `No route ${request.method} ${request.url.split('?')[0]}`))
  })
}
