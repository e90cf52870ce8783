// A workspaces row and its mapping to a Workspace, for every module that reads workspaces (their own store,
// memberships and invitations with their workspaces).
import type { ChurnRecognition, EventMapping } from '../../model/types.js'
import type { Workspace } from '../interfaces/workspaces.js'

export interface WorkspaceRow {
  workspace_id: number
  name: string
  timezone: string
  currency: string
  event_mapping: string
  churn_recognition: string
  past_due_grace_days: number
  conversion_window_days: number
  gross_margin: number
  /** SQLite: 0 or 1; PostgreSQL: a boolean. */
  respect_privacy_signals: number | boolean
  signing_secret: string | null
  created_at: number
}

export const WORKSPACE_COLUMNS = [
  'workspace_id',
  'name',
  'timezone',
  'currency',
  'event_mapping',
  'churn_recognition',
  'past_due_grace_days',
  'conversion_window_days',
  'gross_margin',
  'respect_privacy_signals',
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
    rules: {
      churnRecognition: row.churn_recognition as ChurnRecognition,
      pastDueGraceDays: Number(row.past_due_grace_days),
      conversionWindowDays: Number(row.conversion_window_days),
    },
    grossMargin: Number(row.gross_margin),
    respectPrivacySignals: Boolean(row.respect_privacy_signals),
    signingSecret: row.signing_secret,
    createdAt: row.created_at,
  }
}
