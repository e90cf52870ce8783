// Adds a spend entry, or replaces one being edited.
import { useId, useState, type FormEvent } from 'react'
import { useSaveSpend } from '../../api/queries/spend'
import { FormError, useAction } from '../../components/FormAction'
import { spendLabel, type SpendEntry, type SpendInput } from './spend'

/** Today in the workspace's time zone, as YYYY-MM-DD (en-CA formats dates that way). */
const today = (timezone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: timezone }).format(new Date())

export function SpendForm(props: {
  entry: SpendEntry | null
  channels: string[]
  timezone: string
  onSaved: () => void
  onCancel: () => void
}) {
  const { entry } = props
  const [date, setDate] = useState(entry?.date ?? today(props.timezone))
  const [channel, setChannel] = useState(entry?.channel ?? '')
  const [amount, setAmount] = useState(entry ? String(entry.amount) : '')
  const [note, setNote] = useState(entry?.note ?? '')
  const [saved, setSaved] = useState<string | null>(null)
  const save = useSaveSpend()
  const { busy, error, run } = useAction()
  const list = useId()

  const submit = (e: FormEvent) => {
    e.preventDefault()
    setSaved(null)
    void run(async () => {
      const input: SpendInput = {
        date,
        amount,
        channel: channel.trim() === '' ? null : channel.trim(),
        note: note === '' ? null : note,
      }
      await save.mutateAsync({ id: entry?.id, input })
      if (!entry) {
        setSaved(`Added spend ${spendLabel(input)}.`)
        setAmount('')
        setNote('')
      }
      props.onSaved()
    })
  }

  return (
    <form className="form card" onSubmit={submit} aria-labelledby={`${list}-title`}>
      <h3 id={`${list}-title`}>{entry ? `Edit spend ${spendLabel(entry)}` : 'Add spend'}</h3>
      <label>
        Date
        <input
          type="date"
          required
          value={date}
          autoFocus={entry !== null}
          onChange={(e) => setDate(e.target.value)}
        />
      </label>
      <label>
        Channel
        <input
          list={list}
          maxLength={200}
          value={channel}
          placeholder="e.g. google"
          onChange={(e) => setChannel(e.target.value)}
        />
      </label>
      <datalist id={list}>
        {props.channels.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      <label>
        Amount
        <input
          type="number"
          required
          min={0}
          step="any"
          inputMode="decimal"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
        />
      </label>
      <label>
        Note
        <input maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <small className="muted">
        The channel is the campaign source signups come with (utm_source); leave it empty for spend that fits
        no channel.
      </small>
      <FormError message={error} />
      {saved && (
        <p role="status" className="muted">
          {saved}
        </p>
      )}
      <div className="toolbar">
        <button type="submit" className="primary" disabled={busy}>
          {entry ? 'Save changes' : 'Add spend'}
        </button>
        {entry && (
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  )
}
