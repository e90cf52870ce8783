// Retention: signup cohorts and how many of each stay active (or what they pay) in the periods after signing up.
import { useState } from 'react'
import { useCohorts } from '../../api/queries/metrics'
import { MetricsRangeBar } from '../../components/MetricsRangeBar'
import { AsyncView } from '../../components/States'
import { COHORT_TABLE_LIMITS } from '../../range/range'
import { useRange } from '../../range/useRange'
import { useSession } from '../../session'
import { RetentionTable, unit, type Measure } from './RetentionTable'

const MEASURES: Array<[Measure, string]> = [
  ['active', 'Active users'],
  ['revenue', 'Revenue'],
]

export function Retention() {
  const { workspace } = useSession()
  // Daily cohorts make a square table, so they take shorter ranges (COHORT_TABLE_LIMITS): explained in the bar.
  const { range, setRange, problem } = useRange({
    fallback: '12m',
    limits: COHORT_TABLE_LIMITS,
    remember: true,
  })
  const [measure, setMeasure] = useState<Measure>('active')
  const cohorts = useCohorts(range, measure, problem === null)

  const body = problem === null && (
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
      <MetricsRangeBar
        range={range}
        onChange={setRange}
        limits={COHORT_TABLE_LIMITS}
        timezone={workspace.timezone}
        currency={workspace.currency}
        busy={cohorts.isFetching && cohorts.data !== undefined}
        comparing={false}
      />
      <div className="toolbar">
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
        is the signup {range.interval} itself. Hover, focus or tap a cell for its details; a period not over
        yet reads “so far”.
      </p>
      {body}
    </>
  )
}

const shown = (measure: Measure) => (measure === 'active' ? 'the share of them active' : 'their net revenue')
