// The workspace's Token IDs as GET /api/v1/workspace/token answers them (src/api/workspace-token.ts).
import { z } from 'zod'
import { isoTime } from './common.js'

export const workspaceTokenEntry = z.object({
  token: z
    .string()
    .nullable()
    .describe(
      'The Token ID (tb_…), or null while it is stored only as a hash (created before this version): it ' +
        'becomes showable when it next authenticates an ingestion request, or at a rotation',
    ),
  hint: z.string().describe('Its first characters, always known'),
  created_at: isoTime,
  expires_at: isoTime
    .nullable()
    .describe('When it stops authenticating (a rotated Token ID, during its grace period); null: no end'),
})

export const workspaceTokens = z.object({
  tokens: z
    .array(workspaceTokenEntry)
    .describe('Every Token ID valid now, newest first: the current one, and the previous one during a grace'),
})

export type WorkspaceTokens = z.output<typeof workspaceTokens>
