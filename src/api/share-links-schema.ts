// Documentation of the share-link routes (src/api/share-links.ts).
import type { FastifySchema } from 'fastify'
import { z } from 'zod'
import { empty, ok, operation } from './openapi-schema.js'
import { firstProblem, validated, pathParams } from './validated-parts.js'
import { shareLink, sharedLink } from './shapes/share-links.js'
import { METRICS_ORDER, metricsQuery, metricsResult } from './metrics-schema.js'

const token = pathParams({ token: 'The secret token of the link (its URL is /share/TOKEN)' })

export const shareLinkSchemas = {
  list: operation({
    tag: 'Share links',
    summary: "The workspace's share links, revoked ones included",
    description: 'Without their tokens.',
    access: 'viewer',
    answers: { 200: ok('The links', z.object({ share_links: z.array(shareLink) })) },
  }),

  create: (body: z.ZodType): FastifySchema =>
    operation({
      tag: 'Share links',
      summary: 'Create a share link',
      description: 'The answer shows the token and path this once (the token is stored hashed).',
      access: 'owner',
      change: true,
      body: validated(body),
      answers: {
        201: ok(
          'The link',
          shareLink.extend({ token: z.string(), path: z.string().describe('/share/TOKEN') }),
        ),
      },
    }),

  revoke: operation({
    tag: 'Share links',
    summary: 'Revoke a share link',
    access: 'owner',
    change: true,
    params: pathParams({ id: 'The share link id' }),
    answers: { 204: empty('Revoked') },
    errors: ['not_found'],
  }),

  shared: operation({
    tag: 'Share links',
    summary: 'Describe a share link',
    description: 'The token is the secret; no password is needed here.',
    access: 'public',
    params: token,
    answers: { 200: ok('The link', sharedLink) },
    errors: ['not_found'],
  }),

  sharedMetrics: operation({
    tag: 'Share links',
    summary: "The link's metrics",
    description:
      'As GET /api/v1/metrics, without `by_currency` and with `workspace`; `metrics` defaults to the link’s. ' +
      'A password-protected link needs the password in X-Share-Password; after 10 wrong ones in 15 minutes ' +
      'the link answers 429.',
    access: 'public',
    params: token,
    querystring: validated(metricsQuery, firstProblem(METRICS_ORDER)),
    headers: {
      type: 'object',
      properties: { 'X-Share-Password': { type: 'string', description: 'The password of a protected link' } },
    },
    answers: {
      200: ok(
        'The series and totals',
        metricsResult.omit({ by_currency: true }).extend({ workspace: z.string() }),
      ),
    },
    errors: ['not_found', 'unauthorized', 'forbidden', 'rate_limited'],
  }),
}
