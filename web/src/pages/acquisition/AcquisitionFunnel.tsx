// Visitors → signups → paying over the range, as cohorts: each step is a subset of the one before (signed up, then
// paid, within the conversion window), so no rate exceeds 100 %. Bars for reading at a glance, a table for downloading.
import type { FunnelResult } from '../../api-types'
import { useFunnel } from '../../api/queries/metrics'
import { DataTable, type Column } from '../../components/DataTable'
import { TERMS } from '../../components/MetricsCatalog'
import { NoValue } from '../../components/MetricValue'
import type { Range } from '../../components/RangePicker'
import { AsyncView } from '../../components/States'
import { count, percent } from '../../format'

type FunnelStep = FunnelResult['steps'][number]

const LABELS: Record<FunnelStep['step'], string> = {
  visitors: 'Visitors',
  signups: 'Signups',
  paying: 'Paying customers',
}

/** A rate, or an em dash saying why there is none (the first step; a step after one of nobody). */
function rate(value: number | null, step: FunnelStep) {
  if (value !== null) return percent(value)
  return <NoValue why={step.step === 'visitors' ? 'the funnel starts here' : 'nobody at the step before'} />
}

const columns: Column<FunnelStep>[] = [
  {
    key: 'step',
    label: 'Step',
    explain: TERMS.funnel_step,
    render: (s) => LABELS[s.step],
    value: (s) => LABELS[s.step],
  },
  { key: 'count', label: 'Count', numeric: true, explain: TERMS.funnel_count, render: (s) => count(s.count) },
  {
    key: 'rate_from_previous',
    label: 'Of the previous step',
    numeric: true,
    explain: TERMS.funnel_rate_previous,
    render: (s) => rate(s.rate_from_previous, s),
  },
  {
    key: 'rate_from_start',
    label: 'Of the visitors',
    numeric: true,
    explain: TERMS.funnel_rate_start,
    render: (s) => rate(s.rate_from_start, s),
  },
]

export function AcquisitionFunnel(props: { range: Range }) {
  const funnel = useFunnel(props.range)
  return (
    <AsyncView
      query={funnel}
      isEmpty={({ steps }) => steps.every((s) => s.count === 0)}
      empty="No visits yet in this range — connect Segment in Settings > Integrations, or pick a longer range."
    >
      {({ steps, partial }) => (
        <>
          <FunnelNotes partial={partial} />
          <FunnelSteps steps={steps} />
        </>
      )}
    </AsyncView>
  )
}

function FunnelNotes(props: { partial: boolean }) {
  return (
    <div className="muted metrics-note funnel-notes">
      <p>
        Cohort rates: the visitors are the people whose first visit falls in the range; each step counts those
        of the step before who signed up (then paid) within the conversion window, so each step is a subset of
        the previous one.
      </p>
      {props.partial && (
        <p role="note">
          So far: some visitors’ conversion windows are still open, so these rates can still rise.
        </p>
      )}
    </div>
  )
}

function FunnelSteps(props: { steps: FunnelStep[] }) {
  const { steps } = props
  // Bars are relative to the widest step, which is usually but not always the visitors (signups need no tracked visit).
  const widest = Math.max(...steps.map((s) => s.count), 1)
  return (
    <>
      <ol className="card funnel" aria-label="Funnel steps">
        {steps.map((s) => (
          <li key={s.step}>
            <span className="funnel-label">{LABELS[s.step]}</span>
            <span className="funnel-bar" aria-hidden="true">
              <span style={{ width: `${(s.count / widest) * 100}%` }} />
            </span>
            <span className="num funnel-count">{count(s.count)}</span>
            <span className="muted funnel-rate">
              {s.rate_from_previous === null
                ? 'Start of the funnel'
                : `${percent(s.rate_from_previous)} of the previous step · ${percent(s.rate_from_start)} of visitors`}
            </span>
          </li>
        ))}
      </ol>
      <DataTable title="Funnel" columns={columns} rows={steps} empty="No funnel data in this range." />
    </>
  )
}
