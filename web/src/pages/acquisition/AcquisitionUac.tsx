// Cost per signup: the range's spend, signups and UAC against the period before, and UAC per channel. A channel
// (or a range) without spend says "no spend recorded" rather than $0.00, which would read as free signups.
import type { UacResult } from '../../api-types'
import { DataTable, type Column } from '../../components/DataTable'
import { KpiCard } from '../../components/KpiCard'
import { TERMS, explainMetric } from '../../components/MetricsCatalog'
import { NoValue } from '../../components/MetricValue'
import { NO_SPEND } from '../../components/no-spend'
import { count, money } from '../../format'

type UacRow = UacResult['channels'][number]

/** Spend as shown: "no spend recorded" for none. */
function Spend(props: { spend: number; currency: string }) {
  return props.spend === 0 ? (
    <span className="muted">{NO_SPEND}</span>
  ) : (
    <>{money(props.spend, props.currency)}</>
  )
}

/** UAC as shown: an em dash saying why there is none. */
function Uac(props: { row: Pick<UacRow, 'spend' | 'signups' | 'uac'>; currency: string; over: string }) {
  const { spend, signups, uac } = props.row
  if (spend === 0) return <NoValue why={`${NO_SPEND} ${props.over}`} />
  if (uac === null || signups === 0) return <NoValue why={`no signups ${props.over}`} />
  return <>{money(uac, props.currency)}</>
}

export function AcquisitionUac(props: {
  data: Pick<UacResult, 'total' | 'channels'>
  previous: UacResult['total'] | undefined
  currency: string
}) {
  const { data, previous, currency } = props
  const { total } = data
  const columns: Column<UacRow>[] = [
    { key: 'channel', label: 'Channel', explain: TERMS.channel },
    {
      key: 'spend',
      label: 'Spend',
      numeric: true,
      explain: TERMS.spend,
      render: (r) => <Spend spend={r.spend} currency={currency} />,
    },
    {
      key: 'signups',
      label: 'Signups',
      numeric: true,
      explain: TERMS.channel_signups,
      render: (r) => count(r.signups),
    },
    {
      key: 'uac',
      label: 'UAC',
      numeric: true,
      explain: TERMS.channel_uac,
      render: (r) => <Uac row={r} currency={currency} over="for this channel in the range" />,
      // In the CSV too, a UAC without spend or signups is an empty cell, not 0.
      value: (r) => (r.spend === 0 ? null : r.uac),
    },
  ]
  // The previous range's UAC without spend is unknown too: no change to show against it.
  const previousUac = previous === undefined || previous.spend === 0 ? null : previous.uac
  return (
    <>
      <div className="grid">
        <KpiCard
          label="Spend"
          value={<Spend spend={total.spend} currency={currency} />}
          current={total.spend}
          previous={previous?.spend ?? null}
          explain={explainMetric('acquisition_spend')}
        />
        <KpiCard
          label="Signups"
          value={count(total.signups)}
          current={total.signups}
          previous={previous?.signups ?? null}
          explain={explainMetric('signups')}
        />
        <KpiCard
          label="UAC"
          value={<Uac row={total} currency={currency} over="in the range" />}
          current={total.spend === 0 ? null : total.uac}
          previous={previousUac}
          goodWhenDown
          explain={explainMetric('uac')}
        />
      </div>
      <DataTable
        title="UAC by channel"
        columns={columns}
        rows={data.channels}
        empty="No signups or spend in this range — add spend below, and connect Segment in Settings > Integrations so signups arrive."
      />
    </>
  )
}
