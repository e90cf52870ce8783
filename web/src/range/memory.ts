// The last range chosen in this browser tab (sessionStorage): a metrics page opened without days in its URL shows
// it, so the range stays across pages, reloads and links that do not carry it.
import { namesDays, rangeSearch, type RangeSearch } from './range'

const KEY = 'tractionboard.range'

export function rememberedRange(): RangeSearch | null {
  try {
    const stored = sessionStorage.getItem(KEY)
    const search = stored === null ? null : rangeSearch(JSON.parse(stored) as Record<string, unknown>)
    return search !== null && namesDays(search) ? search : null
  } catch {
    // Storage refused (privacy mode) or a value not ours: nothing remembered.
    return null
  }
}

export function rememberRange(search: RangeSearch): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(search))
  } catch {
    // Storage refused: the range still lives in the URL.
  }
}
