// Acquisition: what a signup costs per channel, the visitors → signups → paying funnel, and the spend behind it.
import { useState } from 'react'
import type { UacResult } from '../../api-types'
import { useUac } from '../../api/queries/metrics'
import { DataTable, type Column } from '../../components/DataTable'
import { KpiCard } from '../../components/KpiCard'
import { RangePicker, preset, previousRange, type Range } from '../../components/RangePicker'
import { AsyncView } from '../../components/States'
import { count, money } from '../../format'
import { useSession } from '../../session'
import { AcquisitionFunnel } from './AcquisitionFunnel'
import { AcquisitionSpend } from './AcquisitionSpend'

type UacRow = UacResult['channels'][number]

export function Acquisition() {
  const { workspace } = useSession()
  const currency = workspace.currency
  const [range, setRange] = useState<Range>(() => preset('90d'))
  const uac = useUac(range)
  // Only for the KPI changes: its failure shows as "no previous data".
  const before = useUac(previousRange(range))

  const columns: Column<UacRow>[] = [
    { key: 'channel', label: 'Channel' },
    { key: 'spend', label: 'Spend', numeric: true, render: (r) => money(r.spend, currency) },
    { key: 'signups', label: 'Signups', numeric: true, render: (r) => count(r.signups) },
    { key: 'uac', label: 'UAC', numeric: true, render: (r) => money(r.uac, currency) },
  ]
  const previous = before.data?.total

  return (
    <>
      <h1>Acquisition</h1>
      <div className="toolbar">
        <RangePicker value={range} onChange={setRange} />
      </div>

      <h2>Cost per signup</h2>
      <AsyncView query={uac}>
        {({ total, channels }) => (
          <>
            <div className="grid">
              <KpiCard
                label="Spend"
                value={money(total.spend, currency)}
                current={total.spend}
                previous={previous?.spend ?? null}
              />
              <KpiCard
                label="Signups"
                value={count(total.signups)}
                current={total.signups}
                previous={previous?.signups ?? null}
              />
              <KpiCard
                label="UAC"
                value={money(total.uac, currency)}
                current={total.uac}
                previous={previous?.uac ?? null}
                goodWhenDown
              />
            </div>
            <DataTable
              title="UAC by channel"
              columns={columns}
              rows={channels}
              empty="No signups or spend in this range — add spend below, and connect Segment in Settings > Integrations so signups arrive."
            />
          </>
        )}
      </AsyncView>

      <h2>Funnel</h2>
      <AcquisitionFunnel range={range} />

      <h2>Spend</h2>
      <AcquisitionSpend range={range} channels={uac.data?.channels.map((c) => c.channel) ?? []} />
    </>
  )
}
