// Documentation of the share-link routes (src/api/share-links.ts, src/api/share-links-shared.ts).
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
      description:
        'The answer shows the token and path. The token is stored hashed, and sealed under a server key ' +
        'that is not in the database, so owners can copy the link again (GET /api/v1/share-links/{id}/link).',
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

  copy: operation({
    tag: 'Share links',
    summary: "A share link's token and path, to copy it again",
    description:
      'Links created before this version, or sealed under another server key (SQLite: the `.share-key` ' +
      'file beside the database; PostgreSQL: `SHARE_LINK_SECRET`), cannot be copied again: 409.',
    access: 'owner',
    params: pathParams({ id: 'The share link id' }),
    answers: {
      200: ok(
        'Its token and path',
        z.object({ token: z.string(), path: z.string().describe('/share/TOKEN') }),
      ),
    },
    errors: ['not_found', 'conflict'],
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
    description:
      'The token is the secret; no password is needed here. `unlocked` says whether the metrics need the ' +
      'password (false until this browser gave it in this session).',
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
      'A password-protected link needs the password in X-Share-Password, or the cookie `tb_share_unlock` ' +
      'that a right password sets (HttpOnly, for this link only, until the browser session ends, at most 12 ' +
      'hours); after 10 wrong passwords in 15 minutes the link answers 429.',
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
