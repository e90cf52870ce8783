// Retention: signup cohorts and how many of each stay active (or what they pay) in the periods after signing up.
import { useState } from 'react'
import { useCohorts } from '../../api/queries/metrics'
import { RangePicker, preset, type Range } from '../../components/RangePicker'
import { AsyncView, Empty } from '../../components/States'
import { useSession } from '../../session'
import { RetentionTable, unit, type Measure } from './RetentionTable'

// Daily cohorts make a square table: one row and one column per day, each a query on the server.
const MAX_DAILY_DAYS = 92
const DAY = 86_400_000

const MEASURES: Array<[Measure, string]> = [
  ['active', 'Active users'],
  ['revenue', 'Revenue'],
]

export function Retention() {
  const { workspace } = useSession()
  const [range, setRange] = useState<Range>(() => preset('12m'))
  const [measure, setMeasure] = useState<Measure>('active')
  const days = (Date.parse(range.to) - Date.parse(range.from)) / DAY + 1
  const tooLong = range.interval === 'day' && days > MAX_DAILY_DAYS
  const cohorts = useCohorts(range, measure, !tooLong)

  const body = tooLong ? (
    <Empty>
      Daily cohorts need a range of at most {MAX_DAILY_DAYS} days — choose a shorter range, or the Week or
      Month interval.
    </Empty>
  ) : (
    <AsyncView
      query={cohorts}
      isEmpty={(data) => data.cohorts.every((c) => c.size === 0)}
      empty="No signups in this range yet — cohorts appear once Segment sends signups; connect it in Settings > Integrations."
    >
      {(data) => <RetentionTable data={data} currency={workspace.currency} />}
    </AsyncView>
  )

  return (
    <>
      <h1>Retention</h1>
      <div className="toolbar">
        <RangePicker value={range} onChange={setRange} />
        <fieldset className="segmented" role="radiogroup" aria-label="Show">
          <legend>Show</legend>
          {MEASURES.map(([value, label]) => (
            <label key={value}>
              <input
                type="radio"
                name="retention-measure"
                value={value}
                checked={measure === value}
                onChange={() => setMeasure(value)}
              />
              {label}
            </label>
          ))}
        </fieldset>
      </div>
      <h2 className="sr-only">Cohorts</h2>
      <p className="muted">
        Each row is the users whose first signup falls in that {range.interval}. Column “
        {unit(range.interval)} n” shows {shown(measure)} n {range.interval}s later; {unit(range.interval)} 0
        is the signup {range.interval} itself. Hover a cell for the details.
      </p>
      {body}
    </>
  )
}

const shown = (measure: Measure) => (measure === 'active' ? 'the share of them active' : 'their net revenue')
