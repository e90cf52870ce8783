// Shapes of the /api/v1 answers the dashboard reads: the types inferred from the server's zod shapes
// (src/api/shapes/, through ./api-types), not copies.
export type { Me, MetricValues, Role, WorkspaceSummary } from './api-types'
import type { MetricsResult } from './api-types'

export type MetricsResponse = MetricsResult
