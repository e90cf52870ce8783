// Documentation of the invitation routes: the invited account's side (src/api/invitations.ts) and the owners'
// side under Members (src/api/members.ts).
import { z } from 'zod'
import { empty, ok, operation } from './openapi-schema.js'
import { pathParams } from './validated-parts.js'
import { workspaceSummary } from './shapes/accounts.js'
import { receivedInvitation } from './shapes/members.js'

const invitationId = pathParams({ id: 'The invitation id' })

export const invitationSchemas = {
  list: operation({
    tag: 'Accounts',
    summary: "Pending invitations to the signed-in account's email",
    access: 'session',
    answers: {
      200: ok('Oldest first', z.object({ invitations: z.array(receivedInvitation) })),
    },
  }),

  accept: operation({
    tag: 'Accounts',
    summary: 'Accept an invitation: become a member of its workspace',
    description: 'With the invitation’s role; an account that is a member already keeps the role it has.',
    access: 'session',
    change: true,
    params: invitationId,
    answers: {
      200: ok('The workspace, as in `GET /api/v1/me`', z.object({ workspace: workspaceSummary })),
    },
    errors: ['not_found'],
  }),

  decline: operation({
    tag: 'Accounts',
    summary: 'Decline an invitation',
    access: 'session',
    change: true,
    params: invitationId,
    answers: { 204: empty('Declined: the invitation is deleted') },
    errors: ['not_found'],
  }),

  cancel: operation({
    tag: 'Members',
    summary: 'Cancel a pending invitation to the workspace',
    access: 'owner',
    change: true,
    params: invitationId,
    answers: { 204: empty('Cancelled') },
    errors: ['not_found'],
  }),
}
