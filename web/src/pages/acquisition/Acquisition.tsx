// Acquisition: what a signup costs per channel, what a paying customer costs, the visitors → signups → paying funnel, and the spend behind it.
import { useUac } from '../../api/queries/metrics'
import { MetricsRangeBar } from '../../components/MetricsRangeBar'
import { AsyncView } from '../../components/States'
import { SERIES_LIMITS, comparisonRange } from '../../range/range'
import { useRange } from '../../range/useRange'
import { useSession } from '../../session'
import { AcquisitionCac } from './AcquisitionCac'
import { AcquisitionFunnel } from './AcquisitionFunnel'
import { AcquisitionUac } from './AcquisitionUac'
import { AcquisitionSpend } from './AcquisitionSpend'

export function Acquisition() {
  const { workspace } = useSession()
  const currency = workspace.currency
  const { range, setRange, problem } = useRange({ fallback: '90d', limits: SERIES_LIMITS, remember: true })
  const uac = useUac(range, problem === null)
  // Only for the KPI changes: its failure shows as "no previous data".
  const before = useUac(comparisonRange(range), problem === null)

  const previous = before.data?.total

  return (
    <>
      <h1>Acquisition</h1>
      <MetricsRangeBar
        range={range}
        onChange={setRange}
        limits={SERIES_LIMITS}
        timezone={workspace.timezone}
        currency={currency}
        busy={uac.isFetching && uac.data !== undefined}
      />
      {problem === null && (
        <>
          <h2>Cost per signup</h2>
          <AsyncView query={uac}>
            {(data) => <AcquisitionUac data={data} previous={previous} currency={currency} />}
          </AsyncView>

          <h2>Cost per customer</h2>
          <AcquisitionCac range={range} currency={currency} />

          <h2>Funnel</h2>
          <AcquisitionFunnel range={range} />

          <h2>Spend</h2>
          <AcquisitionSpend range={range} channels={uac.data?.channels.map((c) => c.channel) ?? []} />
        </>
      )}
    </>
  )
}
