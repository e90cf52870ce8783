// The incremental-versus-refold decision of an ingest, for both databases. A user's facts are a fold of their
// events in fold order (model/user-state.ts); new events can be folded into the stored facts only when the
// result is exactly that of a fold from scratch: when they all come after what was folded, or when the late
// ones commute (late-events.ts). A user who absorbed another in a merge, or whose identification changed,
// is always refolded from their stored events.
import type { TbEvent } from '../../model/types.js'
import {
  appliesAfter,
  applyEvent,
  emptyFacts,
  type FoldRules,
  type UserFacts,
} from '../../model/user-state.js'
import { applyLate, commutes } from './late-events.js'

/**
 * The facts after `events` (sorted in fold order) computed from `stored` alone, or null when the user's stored
 * events must be refolded. `stored` is changed in place when the answer is not null (pass a copy to keep it),
 * and left untouched when it is.
 */
export function foldNewEvents(
  stored: UserFacts | null,
  events: TbEvent[],
  mustRefold: boolean,
  rules: FoldRules,
): UserFacts | null {
  if (mustRefold) return null
  const facts = stored ?? emptyFacts()
  let late = 0
  while (late < events.length && !appliesAfter(facts, events[late]!)) late++
  for (let i = 0; i < late; i++) if (!commutes(facts, events[i]!)) return null
  for (let i = 0; i < late; i++) applyLate(facts, events[i]!)
  for (let i = late; i < events.length; i++) applyEvent(facts, events[i]!, rules)
  return facts
}
