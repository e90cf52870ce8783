// Measurements taken inside the page, for the layout checks of browser tests. The in-page code is JavaScript
// text: the tests are type-checked without the DOM's types, which belong to the dashboard (web/tsconfig.json).
import type { Page } from 'playwright-core'

export interface PageOverflow {
  scrollWidth: number
  innerWidth: number
  /** The first elements beyond the right edge that nothing clips, as `tag#id.class (right N)`. */
  culprits: string[]
}

/** How wide the page is against the screen, and what sticks out. */
export function pageOverflow(page: Page): Promise<PageOverflow> {
  return page.evaluate<PageOverflow>(`(() => {
    // An element inside a box that scrolls (or clips) sideways does not widen the page: skip those.
    const clipped = (el) => {
      for (let p = el.parentElement; p !== null && p !== document.body; p = p.parentElement) {
        if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX)) return true
      }
      return false
    }
    const name = (el) =>
      el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + [...el.classList].map((c) => '.' + c).join('')
    const culprits = [...document.body.querySelectorAll('*')]
      .filter((el) => el.getBoundingClientRect().right > innerWidth + 0.5 && !clipped(el))
      .slice(0, 8)
      .map((el) => name(el) + ' (right ' + Math.round(el.getBoundingClientRect().right) + ')')
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth, culprits }
  })()`)
}

export interface TableBox {
  /** The table's caption, or its card's heading. */
  table: string
  /** A box around it scrolls sideways. */
  scrolls: boolean
  /** That box fits the screen. */
  fits: boolean
}

/**
 * Each shown data table of `main`: its nearest box that scrolls sideways, and whether that box fits the screen.
 * A table kept for screen readers only (inside a 1-pixel clipped box) is not shown; uPlot's legend is a table
 * sized by its chart, not a data table.
 */
export function tableBoxes(page: Page): Promise<TableBox[]> {
  return page.evaluate<TableBox[]>(`(() => {
    const shown = (table) => {
      for (let p = table.parentElement; p !== null; p = p.parentElement) {
        if (p.getBoundingClientRect().width <= 1) return false
      }
      return true
    }
    return [...document.querySelectorAll('main table:not(.u-legend)')].filter(shown).map((table) => {
      let box = table.parentElement
      while (box !== null && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) box = box.parentElement
      const heading = table.closest('section, figure')?.querySelector('h2, h3')?.textContent
      return {
        table: table.querySelector('caption')?.textContent ?? heading ?? 'a table',
        scrolls: box !== null,
        fits: box !== null && box.getBoundingClientRect().right <= innerWidth + 0.5,
      }
    })
  })()`)
}

export interface TabStrip {
  left: number
  right: number
  overflowX: string
  /** Every tab fits without scrolling. */
  fits: boolean
}

/** The page's tab list: where it is and whether it scrolls sideways. */
export function tabStrip(page: Page): Promise<TabStrip> {
  return page.evaluate<TabStrip>(`(() => {
    const list = document.querySelector('[role="tablist"]')
    const rect = list.getBoundingClientRect()
    return {
      left: rect.left,
      right: rect.right,
      overflowX: getComputedStyle(list).overflowX,
      fits: list.scrollWidth <= list.clientWidth,
    }
  })()`)
}

export interface KpiGroup {
  /** How many cards each row holds, top to bottom. */
  rows: number[]
  widest: number
  right: number
}

/** Each group of KPI cards in `main` (a page may have several), as rows. */
export function kpiGroups(page: Page): Promise<KpiGroup[]> {
  return page.evaluate<KpiGroup[]>(`(() =>
    [...document.querySelectorAll('main .grid')]
      .map((grid) => [...grid.querySelectorAll('.kpi')].map((card) => card.getBoundingClientRect()))
      .filter((cards) => cards.length > 0)
      .map((cards) => {
        const rows = new Map()
        for (const r of cards) rows.set(Math.round(r.y), (rows.get(Math.round(r.y)) ?? 0) + 1)
        return {
          rows: [...rows.values()],
          widest: Math.max(...cards.map((r) => r.width)),
          right: Math.max(...cards.map((r) => r.right)),
        }
      })
  )()`)
}
