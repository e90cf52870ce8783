// CAC beside UAC: what a paying customer costs (spend ÷ new customers), where UAC is what a signup costs.
import { useMetrics } from '../../api/queries/metrics'
import { MetricsKpis } from '../../components/MetricsKpis'
import type { Range } from '../../components/RangePicker'
import { AsyncView } from '../../components/States'

const KEYS = ['new_customers', 'cac'] as const
/** Spend too, so a range without any shows "no spend recorded" for CAC rather than $0.00. */
const ASKED = [...KEYS, 'acquisition_spend'] as const

export function AcquisitionCac(props: { range: Range; currency: string }) {
  const metrics = useMetrics(props.range, ASKED)
  return (
    <AsyncView query={metrics}>
      {({ current, previous }) => (
        <MetricsKpis
          title="Cost per customer"
          keys={KEYS}
          current={current.totals}
          previous={previous?.totals ?? null}
          currency={props.currency}
        />
      )}
    </AsyncView>
  )
}
