// A chart's values as a table: its text alternative. Always in the page for screen readers (visually hidden),
// shown to everyone by the chart's "Table" toggle. Each row is a period, "so far" when it is not over.
import { useId, useState } from 'react'
import { NoValue } from './MetricValue'

export interface ChartTableRow {
  /** The period as text, "so far" included ("Dec 2026 so far"). */
  period: string
  /** One cell per column: the formatted value, or null with the reason there is none. */
  cells: Array<{ text: string } | { text: null; why: string }>
}

export function ChartTable(props: { title: string; columns: string[]; rows: ChartTableRow[] }) {
  const [shown, setShown] = useState(false)
  const id = `chart-table-${useId().replace(/:/g, '')}`
  return (
    <>
      <button
        type="button"
        className="link chart-table-toggle"
        aria-expanded={shown}
        aria-controls={id}
        onClick={() => setShown(!shown)}
      >
        {shown ? 'Hide table' : 'Table'}
      </button>
      {/* Shown, a wide table scrolls sideways: a tab stop of its own lets the keyboard scroll it. */}
      <div
        id={id}
        className={shown ? 'chart-table scroll' : 'chart-table sr-only'}
        {...(shown && { tabIndex: 0, role: 'region', 'aria-label': `${props.title}: values by period` })}
      >
        <table>
          <caption>{props.title}: values by period</caption>
          <thead>
            <tr>
              <th scope="col">Period</th>
              {props.columns.map((c) => (
                <th key={c} scope="col" className="num">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r) => (
              <tr key={r.period}>
                <th scope="row" className="nowrap">
                  {r.period}
                </th>
                {r.cells.map((c, i) => (
                  <td key={i} className="num">
                    {c.text !== null ? (
                      c.text
                    ) : shown ? (
                      <NoValue why={c.why} />
                    ) : (
                      // Hidden: nothing focusable, the reason read as text.
                      `— (no value: ${c.why})`
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}
