// A table with a CSV download. Cells render as text (React escapes), so user data can never inject markup.
// A column with an explanation has its one-line definition on its header (hover, focus) and a link to the docs.
import type { ReactNode } from 'react'
import { downloadCsv } from '../csv'
import { docsHref, type Explanation } from './MetricsCatalog'
import { Tip } from './Tip'

export interface Column<T> {
  key: string
  label: string
  render?: (row: T) => ReactNode
  /** The raw value for CSV (defaults to row[key]). */
  value?: (row: T) => unknown
  numeric?: boolean
  /** What the column counts, from the catalog (explainMetric, TERMS). */
  explain?: Explanation
}

function Header<T>(props: { column: Column<T> }) {
  const { label, explain } = props.column
  if (explain === undefined) return <>{label}</>
  return (
    <Tip tip={explain.definition} href={docsHref(explain.anchor)} name={label}>
      {label}
    </Tip>
  )
}

export function DataTable<T extends object>(props: {
  title: string
  columns: Column<T>[]
  rows: T[]
  empty: ReactNode
  csvName?: string
}) {
  const csv = () =>
    downloadCsv(
      props.csvName ?? `${props.title.toLowerCase().replace(/\W+/g, '-')}.csv`,
      props.columns.map((c) => c.label),
      props.rows.map((r) =>
        Object.fromEntries(
          props.columns.map((c) => [c.label, c.value ? c.value(r) : (r as Record<string, unknown>)[c.key]]),
        ),
      ),
    )
  return (
    <section className="card table-card">
      <header>
        <h3>{props.title}</h3>
        {props.rows.length > 0 && (
          <button type="button" className="link" onClick={csv} aria-label={`Download ${props.title} as CSV`}>
            CSV
          </button>
        )}
      </header>
      {props.rows.length === 0 ? (
        <div className="empty">{props.empty}</div>
      ) : (
        <div className="scroll">
          <table>
            <thead>
              <tr>
                {props.columns.map((c) => (
                  <th key={c.key} scope="col" className={c.numeric ? 'num' : undefined}>
                    <Header column={c} />
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.rows.map((r, i) => (
                <tr key={i}>
                  {props.columns.map((c) => (
                    <td key={c.key} className={c.numeric ? 'num' : undefined}>
                      {c.render ? c.render(r) : String((r as Record<string, unknown>)[c.key] ?? '—')}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
