// Settings > Exchange rates: the rates that convert payments in other currencies into the workspace currency,
// by currency (how many, from when to when, the latest), adding one, and removing a currency's rates. Long
// histories are loaded with the CLI (`tractionboard fx import`). A change recomputes the metrics.
import { useState, type FormEvent } from 'react'
import type { FxRate } from '../../api-types'
import { useDeleteFxRates, useFxRates, usePutFxRates } from '../../api/queries/fxRates'
import { DataTable, type Column } from '../../components/DataTable'
import { FormError, useAction } from '../../components/FormAction'
import { RebuildProgress } from '../../components/RebuildProgress'
import { AsyncView } from '../../components/States'
import { can, useSession } from '../../session'

interface CurrencyRates {
  currency: string
  count: number
  first: string
  latest: FxRate
}

/** The API lists rates by currency, then date: one summary row per currency. */
export function byCurrency(rates: FxRate[]): CurrencyRates[] {
  const rows = new Map<string, CurrencyRates>()
  for (const rate of rates) {
    const row = rows.get(rate.currency)
    if (row === undefined)
      rows.set(rate.currency, { currency: rate.currency, count: 1, first: rate.date, latest: rate })
    else {
      row.count++
      if (rate.date > row.latest.date) row.latest = rate
      if (rate.date < row.first) row.first = rate.date
    }
  }
  return [...rows.values()]
}

function AddRate(props: { workspaceCurrency: string }) {
  const [input, setInput] = useState({ date: new Date().toISOString().slice(0, 10), currency: '', rate: '' })
  const [notice, setNotice] = useState('')
  const put = usePutFxRates()
  const { busy, error, run } = useAction()
  const submit = (e: FormEvent) => {
    e.preventDefault()
    setNotice('')
    void run(async () => {
      const rate = {
        date: input.date,
        currency: input.currency.trim().toUpperCase(),
        rate: Number(input.rate),
      }
      const answer = await put.mutateAsync([rate])
      setNotice(
        answer.changed === 0
          ? `${rate.currency} on ${rate.date} already had this rate.`
          : `${rate.currency} on ${rate.date} saved: the metrics are being recomputed.`,
      )
      setInput({ ...input, rate: '' })
    })
  }
  const field = (key: keyof typeof input) => (e: { target: { value: string } }) =>
    setInput({ ...input, [key]: e.target.value })
  return (
    <form className="form" onSubmit={submit} aria-label="Add an exchange rate">
      <label>
        Date
        <input type="date" required value={input.date} onChange={field('date')} />
      </label>
      <label>
        Currency
        <input
          required
          pattern="[A-Za-z]{3}"
          maxLength={3}
          placeholder="EUR"
          value={input.currency}
          onChange={field('currency')}
        />
      </label>
      <label>
        {props.workspaceCurrency} per unit
        <input
          type="number"
          required
          min="0"
          step="any"
          inputMode="decimal"
          value={input.rate}
          onChange={field('rate')}
        />
      </label>
      <FormError message={error} />
      <div className="toolbar">
        <button type="submit" disabled={busy}>
          Save rate
        </button>
      </div>
      {notice !== '' && <p role="status">{notice}</p>}
    </form>
  )
}

export function SettingsExchangeRates() {
  const { workspace } = useSession()
  const rates = useFxRates()
  const remove = useDeleteFxRates()
  const { busy, error, run } = useAction()
  const member = can(workspace.role, 'rates')
  const removeAll = (currency: string) => {
    if (
      confirm(
        `Remove every ${currency} rate? ${currency} payments will count as unconverted until rates are added.`,
      )
    )
      void run(async () => void (await remove.mutateAsync({ currency })))
  }
  const columns: Column<CurrencyRates>[] = [
    { key: 'currency', label: 'Currency' },
    { key: 'count', label: 'Rates', numeric: true },
    { key: 'first', label: 'From' },
    { key: 'latest', label: 'Latest date', value: (r) => r.latest.date, render: (r) => r.latest.date },
    {
      key: 'rate',
      label: `Latest rate (${workspace.currency})`,
      numeric: true,
      value: (r) => r.latest.rate,
      render: (r) => String(r.latest.rate),
    },
    ...(member
      ? [
          {
            key: 'actions',
            label: '',
            value: () => '',
            render: (r: CurrencyRates) => (
              <button type="button" className="danger" disabled={busy} onClick={() => removeAll(r.currency)}>
                Remove {r.currency} rates
              </button>
            ),
          },
        ]
      : []),
  ]
  return (
    <>
      <RebuildProgress />
      <p>
        Payments in another currency count in {workspace.currency} at the latest rate of their day or of the 7
        days before it; without one they are listed as unconverted on the Revenue page and add nothing to MRR.
      </p>
      <AsyncView query={rates}>
        {({ rates: list }) => (
          <DataTable
            title="Exchange rates"
            columns={columns}
            rows={byCurrency(list)}
            empty={`No exchange rates: every payment in another currency than ${workspace.currency} is unconverted.`}
          />
        )}
      </AsyncView>
      <FormError message={error} />
      {member ? (
        <AddRate workspaceCurrency={workspace.currency} />
      ) : (
        <p className="muted">Only owners and members can add or remove exchange rates.</p>
      )}
      <p className="muted">
        A long history (a CSV of date, currency, rate, or the European Central Bank’s file) is loaded with{' '}
        <code>tractionboard fx import FILE --workspace {workspace.id}</code>; the API takes rates with{' '}
        <code>PUT /api/v1/fx-rates</code>.
      </p>
    </>
  )
}
