// Shapes of the /api/v1 answers the dashboard reads (see docs/api.md).

export type Role = 'owner' | 'member' | 'viewer'

export interface WorkspaceSummary {
  id: number
  name: string
  timezone: string
  currency: string
  role: Role
}

export interface Me {
  email: string
  csrf_token: string
  workspaces: WorkspaceSummary[]
}

export type MetricValues = Record<string, number | null>

export interface MetricsResponse {
  from: string
  to: string
  interval: 'day' | 'week' | 'month'
  timezone: string
  currency: string
  totals: MetricValues
  series: Array<{ period_start: string; period_end: string } & MetricValues>
  by_currency: Record<
    string,
    { payments: number; gross_revenue: number; refunds: number; net_revenue: number }
  >
}
