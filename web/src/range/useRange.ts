// The range of a page, kept in its URL (?from&to&interval&compare): a change is a history entry (Back restores the
// previous range), and a page opened without days takes the remembered range (or its default) into its URL in
// place, so that the entry Back returns to holds the range it showed.
import { useNavigate, useSearch } from '@tanstack/react-router'
import { useCallback, useEffect } from 'react'
import { rememberRange, rememberedRange } from './memory'
import {
  namesDays,
  preset,
  rangeOf,
  rangeProblem,
  rangeSearch,
  searchOf,
  type Preset,
  type Range,
  type RangeProblem,
  type SpanLimits,
} from './range'

export interface RangeState {
  range: Range
  setRange: (next: Range) => void
  /** Why the range cannot be shown (nothing is asked of the API then), or null. */
  problem: RangeProblem | null
}

export function useRange(options: {
  /** Shown when neither the URL nor this tab's memory has a range. */
  fallback: Preset
  limits: SpanLimits
  /** Whether the range is remembered for the other pages (the dashboard's, not the investor view's). */
  remember: boolean
}): RangeState {
  const { fallback, limits, remember } = options
  const search = rangeSearch(useSearch({ strict: false }))
  const navigate = useNavigate()
  const inUrl = namesDays(search)
  const remembered = remember ? rememberedRange() : null
  const base = remembered ? rangeOf(remembered, preset(fallback)) : preset(fallback)
  const range = rangeOf(search, base)
  const key = JSON.stringify(searchOf(range))

  const show = useCallback(
    (next: Range, replace: boolean) =>
      void navigate({
        to: '.',
        search: (prev: Record<string, unknown>) => ({ ...withoutRange(prev), ...searchOf(next) }),
        replace,
        resetScroll: false,
      }),
    [navigate],
  )

  useEffect(() => {
    const shown = JSON.parse(key) as Range
    if (!inUrl) show(shown, true)
    else if (remember) rememberRange(searchOf(shown))
  }, [key, inUrl, remember, show])

  const setRange = useCallback((next: Range) => show(next, false), [show])
  return { range, setRange, problem: rangeProblem(range, limits) }
}

/** The other search params of the page (none today), without the range's. */
function withoutRange(prev: Record<string, unknown>): Record<string, unknown> {
  const { from: _from, to: _to, interval: _interval, compare: _compare, ...rest } = prev
  return rest
}
