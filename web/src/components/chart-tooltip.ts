// uPlot's cursor made readable: a tooltip at the cursor with the period and each series' formatted value, and
// touch (a tap, or a drag across the plot) moving the cursor as the mouse does. A uPlot plugin: its hooks `init`
// and `setCursor` (uPlot's own cursor API), so uPlot keeps owning the cursor, its snapping to points and its
// legend.
import uPlot from 'uplot'

export interface TooltipContent {
  title: string
  rows: Array<{ label: string; color: string; text: string }>
}

/** Text only (textContent): nothing of a series label or value is ever parsed as markup. */
function fill(tip: HTMLElement, content: TooltipContent): void {
  const title = document.createElement('div')
  title.className = 'chart-tip-title'
  title.textContent = content.title
  const rows = content.rows.map((r) => {
    const row = document.createElement('div')
    row.className = 'chart-tip-row'
    const swatch = document.createElement('span')
    swatch.className = 'chart-tip-swatch'
    swatch.style.background = r.color
    const label = document.createElement('span')
    label.textContent = `${r.label}: `
    const value = document.createElement('strong')
    value.textContent = r.text
    row.append(swatch, label, value)
    return row
  })
  tip.replaceChildren(title, ...rows)
}

export function tooltipPlugin(content: (idx: number, u: uPlot) => TooltipContent): uPlot.Plugin {
  const tip = document.createElement('div')
  tip.className = 'chart-tip'
  // The chart's table is its text alternative; the tooltip repeats it for the eye only.
  tip.setAttribute('aria-hidden', 'true')
  tip.hidden = true

  const moveTo = (u: uPlot, e: TouchEvent) => {
    const touch = e.touches[0]
    if (touch === undefined) return
    const box = u.over.getBoundingClientRect()
    u.setCursor({ left: touch.clientX - box.left, top: touch.clientY - box.top })
  }

  return {
    hooks: {
      init: [
        (u) => {
          u.over.appendChild(tip)
          const onTouch = (e: TouchEvent) => moveTo(u, e)
          u.over.addEventListener('touchstart', onTouch, { passive: true })
          u.over.addEventListener('touchmove', onTouch, { passive: true })
        },
      ],
      setCursor: [
        (u) => {
          const { idx, left } = u.cursor
          const x = idx === null || idx === undefined ? undefined : u.data[0][idx]
          if (idx === null || idx === undefined || x === undefined || left === undefined || left < 0) {
            tip.hidden = true
            return
          }
          fill(tip, content(idx, u))
          tip.hidden = false
          // Beside the point, on the side with room.
          const at = u.valToPos(x, 'x')
          const width = tip.offsetWidth
          const room = u.over.clientWidth
          tip.style.left = `${at + 12 + width <= room ? at + 12 : Math.max(0, at - 12 - width)}px`
          tip.style.top = '4px'
        },
      ],
    },
  }
}
