// A workspaces row and its mapping to a Workspace, for every module that reads workspaces (their own store,
// memberships and invitations with their workspaces).
import type { EventMapping } from '../../model/types.js'
import type { Workspace } from '../interfaces/workspaces.js'

export interface WorkspaceRow {
  workspace_id: number
  name: string
  timezone: string
  currency: string
  event_mapping: string
  signing_secret: string | null
  created_at: number
}

export const WORKSPACE_COLUMNS = [
  'workspace_id',
  'name',
  'timezone',
  'currency',
  'event_mapping',
  'signing_secret',
  'created_at',
] as const

export function toWorkspace(row: WorkspaceRow): Workspace {
  return {
    id: row.workspace_id,
    name: row.name,
    timezone: row.timezone,
    currency: row.currency,
    eventMapping: JSON.parse(row.event_mapping) as EventMapping,
    signingSecret: row.signing_secret,
    createdAt: row.created_at,
  }
}
