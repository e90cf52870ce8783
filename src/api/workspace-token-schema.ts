// Documentation of GET /api/v1/workspace/token (src/api/workspace-token.ts).
import { ok, operation } from './openapi-schema.js'
import { workspaceTokens } from './shapes/workspace-token.js'

export const workspaceTokenSchemas = {
  get: operation({
    tag: 'Workspace',
    summary: "The workspace's Token IDs",
    description:
      'The write keys Segment and libraries send with (they only add events, so every member may read them, ' +
      'as Settings > Integrations shows them). A Token ID itself cannot call this: 401. A Token ID created ' +
      'before this version is stored only as a hash: its `token` is null until it next authenticates an ' +
      'ingestion request or the Token ID is rotated.',
    access: 'viewer',
    answers: { 200: ok('Every Token ID valid now, newest first', workspaceTokens) },
  }),
}
