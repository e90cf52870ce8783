// Visitors → signups → paying over the range: bars for reading at a glance, a table for downloading.
import type { FunnelResult } from '../../api-types'
import { useFunnel } from '../../api/queries/metrics'
import { DataTable, type Column } from '../../components/DataTable'
import type { Range } from '../../components/RangePicker'
import { AsyncView } from '../../components/States'
import { count, percent } from '../../format'

type FunnelStep = FunnelResult['steps'][number]

const LABELS: Record<FunnelStep['step'], string> = {
  visitors: 'Visitors',
  signups: 'Signups',
  paying: 'Paying customers',
}

const columns: Column<FunnelStep>[] = [
  { key: 'step', label: 'Step', render: (s) => LABELS[s.step], value: (s) => LABELS[s.step] },
  { key: 'count', label: 'Count', numeric: true, render: (s) => count(s.count) },
  {
    key: 'rate_from_previous',
    label: 'From previous step',
    numeric: true,
    render: (s) => percent(s.rate_from_previous),
  },
  {
    key: 'rate_from_start',
    label: 'From visitors',
    numeric: true,
    render: (s) => percent(s.rate_from_start),
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
      {({ steps }) => <FunnelSteps steps={steps} />}
    </AsyncView>
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
