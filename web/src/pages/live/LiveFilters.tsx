// The filters of Live events: type, event name, user id and outcome. Text filters apply when submitted (Enter
// or Apply), so that the history is not read again at every keystroke; the selects apply at once.
import { useId, useState, type FormEvent } from 'react'
import { NO_FILTERS, OUTCOMES, SEGMENT_TYPES, filtering, type LiveFilters } from './live-filters'

export function LiveFiltersForm(props: { value: LiveFilters; onChange: (filters: LiveFilters) => void }) {
  const { value, onChange } = props
  const id = useId()
  const [event, setEvent] = useState(value.event)
  const [userId, setUserId] = useState(value.userId)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    onChange({ ...value, event: event.trim(), userId: userId.trim() })
  }
  const clear = () => {
    setEvent('')
    setUserId('')
    onChange(NO_FILTERS)
  }
  return (
    <form className="live-filters" role="search" aria-label="Filter events" onSubmit={submit}>
      <div className="live-field">
        <label htmlFor={`${id}-type`}>Type</label>
        <select
          id={`${id}-type`}
          value={value.type}
          onChange={(e) => onChange({ ...value, type: e.target.value })}
        >
          <option value="">any</option>
          {SEGMENT_TYPES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </div>
      <div className="live-field">
        <label htmlFor={`${id}-event`}>Event name</label>
        <input
          id={`${id}-event`}
          value={event}
          onChange={(e) => setEvent(e.target.value)}
          placeholder="e.g. Payment Made"
        />
      </div>
      <div className="live-field">
        <label htmlFor={`${id}-user`}>User id</label>
        <input
          id={`${id}-user`}
          value={userId}
          onChange={(e) => setUserId(e.target.value)}
          placeholder="userId or anonymousId"
        />
      </div>
      <div className="live-field">
        <label htmlFor={`${id}-outcome`}>Outcome</label>
        <select
          id={`${id}-outcome`}
          value={value.outcome}
          onChange={(e) => onChange({ ...value, outcome: e.target.value as LiveFilters['outcome'] })}
        >
          <option value="">any</option>
          {OUTCOMES.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      </div>
      <button type="submit">Apply</button>
      {(filtering(value) || event !== '' || userId !== '') && (
        <button type="button" className="link" onClick={clear}>
          Clear filters
        </button>
      )}
    </form>
  )
}
