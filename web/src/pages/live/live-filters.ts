// Live events' filters: the same four apply to the history (as the API's parameters, server-side) and to the
// streamed rows (here, client-side).
import type { LiveEventView, LiveOutcome } from '../../api-types'

export interface LiveFilters {
  /** Segment call, '' for any. */
  type: string
  /** Track event name or page/screen name, '' for any. */
  event: string
  /** An id the event names or resolved to, '' for any. */
  userId: string
  outcome: LiveOutcome | ''
}

export const NO_FILTERS: LiveFilters = { type: '', event: '', userId: '', outcome: '' }

export const SEGMENT_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const
export const OUTCOMES = ['accepted', 'duplicate', 'rejected'] as const satisfies readonly LiveOutcome[]

export function filterParams(f: LiveFilters): URLSearchParams {
  const params = new URLSearchParams()
  if (f.type !== '') params.set('type', f.type)
  if (f.event !== '') params.set('event', f.event)
  if (f.userId !== '') params.set('user_id', f.userId)
  if (f.outcome !== '') params.set('outcome', f.outcome)
  return params
}

export const filtering = (f: LiveFilters): boolean => filterParams(f).toString() !== ''

/** A streamed row against the filters; the history is filtered by the server with the same meaning. */
export function matchesFilters(e: LiveEventView, f: LiveFilters): boolean {
  if (f.type !== '' && e.type !== f.type) return false
  if (f.event !== '' && e.name !== f.event) return false
  if (f.outcome !== '' && e.outcome !== f.outcome) return false
  if (f.userId !== '') return [e.user_id, e.anonymous_id, e.resolved_user_id].includes(f.userId)
  return true
}
