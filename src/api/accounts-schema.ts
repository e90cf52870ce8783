// Documentation of the account routes (src/api/account-routes.ts); see src/api/openapi-schema.ts.
import type { FastifySchema } from 'fastify'
import { z } from 'zod'
import type { Role } from '../store/types.js'
import { empty, ok, operation } from './openapi-schema.js'
import { validated } from './validated-parts.js'
import { me, type Role as AnsweredRole } from './shapes/accounts.js'
import { createdWorkspace } from './shapes/workspace.js'

// The answers' roles are the store's: this fails to compile when one list changes without the other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const rolesAgree: Same<Role, AnsweredRole> = true
void rolesAgree

/** The body of POST /api/v1/session. */
export const login = z.object({ email: z.string().max(320), password: z.string().max(1000) })

export const accountSchemas = {
  setupStatus: operation({
    tag: 'Accounts',
    summary: 'Whether the first (owner) account must still be created',
    access: 'public',
    answers: { 200: ok('Set-up state', z.object({ needs_owner: z.boolean() })) },
  }),

  setup: (body: z.ZodType): FastifySchema =>
    operation({
      tag: 'Accounts',
      summary: 'Create the first account',
      description:
        'Once: the first account becomes owner of every existing workspace, and a session starts (sets the ' +
        '`tb_session` cookie). Of concurrent set-ups exactly one succeeds; the others answer 409. ' +
        'Rate-limited per client address (`LOGIN_RATE_LIMIT` a minute).',
      access: 'public',
      change: true,
      body: validated(body),
      answers: { 201: ok('The account, signed in: as `GET /api/v1/me`', me) },
      errors: ['conflict', 'rate_limited'],
    }),

  login: operation({
    tag: 'Accounts',
    summary: 'Log in',
    description:
      'Sets the `tb_session` cookie (`Secure` over HTTPS, or always when `PUBLIC_URL` is https). After 10 ' +
      'failed logins in a row the account is locked for 15 minutes; then it has 10 attempts again. ' +
      'Rate-limited per client address (`LOGIN_RATE_LIMIT` a minute).',
    access: 'public',
    change: true,
    body: validated(login),
    answers: { 200: ok('Signed in: as `GET /api/v1/me`', me) },
    errors: ['invalid_credentials', 'account_locked', 'rate_limited'],
  }),

  changePassword: (body: z.ZodType): FastifySchema =>
    operation({
      tag: 'Accounts',
      summary: "Change the signed-in account's password",
      description:
        'Needs the current password, checked and counted like a login (10 wrong ones lock the account for 15 ' +
        'minutes). Every other session of the account ends; this one stays. Rate-limited per client address ' +
        '(`LOGIN_RATE_LIMIT` a minute).',
      access: 'session',
      change: true,
      body: validated(body),
      answers: { 204: empty('Changed') },
      errors: ['invalid_credentials', 'account_locked', 'rate_limited'],
    }),

  logout: operation({
    tag: 'Accounts',
    summary: 'Log out',
    description: 'Deletes the session and clears the cookie; also answers 204 without a session.',
    access: 'session',
    change: true,
    optional: true,
    answers: { 204: empty('Logged out') },
  }),

  sessionStatus: operation({
    tag: 'Accounts',
    summary: 'Whether a session is signed in (and as whom), without a 401 when not',
    description:
      "The dashboard's first request: `me` is the answer of `GET /api/v1/me` when the `tb_session` cookie " +
      'names a live session, else null; `needs_owner` as `GET /api/v1/setup`. Always 200.',
    access: 'public',
    answers: {
      200: ok(
        'The session state',
        z.object({ signed_in: z.boolean(), needs_owner: z.boolean(), me: me.nullable() }),
      ),
    },
  }),

  me: operation({
    tag: 'Accounts',
    summary: 'The signed-in account, its CSRF token and its workspaces',
    access: 'session',
    answers: { 200: ok('The account', me) },
  }),

  newWorkspace: (body: z.ZodType): FastifySchema =>
    operation({
      tag: 'Accounts',
      summary: 'Create a workspace',
      description:
        'Any signed-in account; it becomes the owner. The answer shows the Token ID and api_key this once. ' +
        'An account owns at most `MAX_WORKSPACES_PER_ACCOUNT` workspaces (default 100).',
      access: 'session',
      change: true,
      body: validated(body),
      errors: ['too_many_workspaces'],
      answers: {
        201: ok('The new workspace', createdWorkspace),
      },
    }),
}
