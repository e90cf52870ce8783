// The tables a store copy carries, with their portable column types.

/** A portable column value: integers as numbers, booleans as booleans, JSON columns as JSON text. */
export type CopyValue = string | number | boolean | null

export type CopyColumnType = 'int' | 'text' | 'bool' | 'json'

export interface CopyTableSpec {
  name: string
  /** Global tables are copied once; workspace tables per workspace, without their workspace_id column. */
  scope: 'global' | 'workspace'
  /** Column name → type, in the order of a row's values. */
  columns: ReadonlyArray<readonly [string, CopyColumnType]>
  /** Columns of the primary key (after workspace_id for workspace tables): rows are read in this order. */
  key: readonly string[]
}

/** Every table worth copying, in copy order; day_bitmaps is a cache and is left out. */
export const COPY_TABLES: readonly CopyTableSpec[] = [
  {
    name: 'workspaces',
    scope: 'global',
    columns: [
      ['workspace_id', 'int'],
      ['name', 'text'],
      ['timezone', 'text'],
      ['currency', 'text'],
      ['event_mapping', 'json'],
      ['signing_secret', 'text'],
      ['next_user_ord', 'int'],
      ['created_at', 'int'],
    ],
    key: ['workspace_id'],
  },
  {
    name: 'tokens',
    scope: 'global',
    columns: [
      ['token_hash', 'text'],
      ['workspace_id', 'int'],
      ['kind', 'text'],
      ['hint', 'text'],
      ['created_at', 'int'],
      ['expires_at', 'int'],
    ],
    key: ['token_hash'],
  },
  {
    name: 'accounts',
    scope: 'global',
    columns: [
      ['account_id', 'int'],
      ['email', 'text'],
      ['password_hash', 'text'],
      ['created_at', 'int'],
      ['failed_logins', 'int'],
      ['locked_until', 'int'],
    ],
    key: ['account_id'],
  },
  {
    name: 'sessions',
    scope: 'global',
    columns: [
      ['session_hash', 'text'],
      ['account_id', 'int'],
      ['csrf_token', 'text'],
      ['created_at', 'int'],
      ['expires_at', 'int'],
    ],
    key: ['session_hash'],
  },
  {
    name: 'memberships',
    scope: 'global',
    columns: [
      ['workspace_id', 'int'],
      ['account_id', 'int'],
      ['role', 'text'],
      ['created_at', 'int'],
    ],
    key: ['workspace_id', 'account_id'],
  },
  {
    name: 'share_links',
    scope: 'global',
    columns: [
      ['token_hash', 'text'],
      ['workspace_id', 'int'],
      ['link_id', 'int'],
      ['name', 'text'],
      ['metrics', 'json'],
      ['password_hash', 'text'],
      ['created_at', 'int'],
      ['revoked_at', 'int'],
    ],
    key: ['token_hash'],
  },
  {
    name: 'invitations',
    scope: 'global',
    columns: [
      ['invitation_id', 'int'],
      ['workspace_id', 'int'],
      ['email', 'text'],
      ['role', 'text'],
      ['created_at', 'int'],
    ],
    key: ['invitation_id'],
  },
  {
    name: 'events',
    scope: 'workspace',
    columns: [
      ['message_id', 'text'],
      ['user_ord', 'int'],
      ['type', 'text'],
      ['kind', 'text'],
      ['name', 'text'],
      ['event_time', 'int'],
      ['received_at', 'int'],
      ['sent_at', 'int'],
      ['client_time', 'int'],
      ['amount_micros', 'int'],
      ['currency', 'text'],
      ['raw', 'text'],
    ],
    key: ['message_id'],
  },
  {
    name: 'identities',
    scope: 'workspace',
    columns: [
      ['raw_id', 'text'],
      ['user_ord', 'int'],
      ['is_user', 'bool'],
      ['aliased', 'bool'],
      ['user_seen', 'int'],
    ],
    key: ['raw_id'],
  },
  {
    name: 'users',
    scope: 'workspace',
    columns: [
      ['user_ord', 'int'],
      ['external_id', 'text'],
      ['status', 'text'],
      ['signed_up_at', 'int'],
      ['first_payment_at', 'int'],
      ['canceled_at', 'int'],
      ['first_seen', 'int'],
      ['last_seen', 'int'],
      ['email', 'text'],
      ['name', 'text'],
      ['facts', 'json'],
      ['signup_day', 'int'],
    ],
    key: ['user_ord'],
  },
  {
    name: 'user_days',
    scope: 'workspace',
    columns: [
      ['day', 'int'],
      ['user_ord', 'int'],
      ['flags', 'int'],
      ['net_micros', 'int'],
    ],
    key: ['day', 'user_ord'],
  },
  {
    name: 'daily_events',
    scope: 'workspace',
    columns: [
      ['day', 'int'],
      ['visits', 'int'],
      ['logins', 'int'],
      ['events', 'int'],
    ],
    key: ['day'],
  },
  {
    name: 'daily_revenue',
    scope: 'workspace',
    columns: [
      ['day', 'int'],
      ['currency', 'text'],
      ['payments', 'int'],
      ['gross_micros', 'int'],
      ['refunds', 'int'],
      ['refunds_micros', 'int'],
    ],
    key: ['day', 'currency'],
  },
  {
    name: 'daily_users',
    scope: 'workspace',
    columns: [
      ['day', 'int'],
      ['signups', 'int'],
      ['new_customers', 'int'],
      ['customer_delta', 'int'],
      ['user_delta', 'int'],
      ['mrr_delta_micros', 'int'],
    ],
    key: ['day'],
  },
  {
    name: 'channel_signups',
    scope: 'workspace',
    columns: [
      ['day', 'int'],
      ['channel', 'text'],
      ['signups', 'int'],
    ],
    key: ['day', 'channel'],
  },
  {
    name: 'status_transitions',
    scope: 'workspace',
    columns: [
      ['user_ord', 'int'],
      ['seq', 'int'],
      ['day', 'int'],
      ['status', 'text'],
      ['since_day', 'int'],
      ['first_payment_day', 'int'],
      ['first_seen_day', 'int'],
      ['identified', 'bool'],
    ],
    key: ['user_ord', 'seq'],
  },
  {
    name: 'mrr_movements',
    scope: 'workspace',
    columns: [
      ['month', 'int'],
      ['new_micros', 'int'],
      ['expansion_micros', 'int'],
      ['contraction_micros', 'int'],
      ['churned_micros', 'int'],
      ['reactivation_micros', 'int'],
    ],
    key: ['month'],
  },
  {
    name: 'spend',
    scope: 'workspace',
    columns: [
      ['id', 'int'],
      ['day', 'int'],
      ['amount_micros', 'int'],
      ['channel', 'text'],
      ['note', 'text'],
      ['created_at', 'int'],
    ],
    key: ['id'],
  },
  {
    name: 'rejected_events',
    scope: 'workspace',
    columns: [
      ['id', 'int'],
      ['received_at', 'int'],
      ['code', 'text'],
      ['message', 'text'],
      ['raw', 'text'],
      ['subject', 'text'],
    ],
    key: ['id'],
  },
]
