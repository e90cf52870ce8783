// A user's events, newest first, a page at a time; each row can show the raw Segment message as text.
import { useCallback, useState } from 'react'
import { get } from '../../api'
import type { UserEvent, UserEventPage } from '../../api-types'
import { DataTable, type Column } from '../../components/DataTable'
import { FormError, useAction } from '../../components/FormAction'
import { ErrorState, Loading } from '../../components/States'
import { dateTime, money } from '../../format'
import { useApi } from '../../useApi'

type EventPage = Pick<UserEventPage, 'events' | 'next_before'>

const PAGE_SIZE = 50
const eventName = (e: UserEvent) => e.name ?? e.type

function columns(
  currency: string,
  open: ReadonlySet<string>,
  toggle: (id: string) => void,
): Column<UserEvent>[] {
  return [
    { key: 'timestamp', label: 'Time', render: (e) => dateTime(e.timestamp) },
    {
      key: 'kind',
      label: 'Kind',
      render: (e) => (
        <span className={e.kind === 'refund' || e.kind === 'cancel' ? 'badge bad' : 'badge'}>{e.kind}</span>
      ),
    },
    { key: 'name', label: 'Event', value: eventName, render: eventName },
    {
      key: 'amount',
      label: 'Amount',
      numeric: true,
      // A number for spreadsheets; an amount in another currency than the workspace's keeps its code.
      value: (e) =>
        e.amount === null || !e.currency || e.currency === currency ? e.amount : `${e.amount} ${e.currency}`,
      render: (e) => (e.amount === null ? '—' : money(e.amount, e.currency ?? currency)),
    },
    {
      key: 'raw',
      label: 'Raw',
      value: (e) => JSON.stringify(e.raw),
      render: (e) => {
        // Message ids are free text; encoded, one cannot break the space-separated aria-controls list.
        const id = `raw-${encodeURIComponent(e.message_id)}`
        return (
          <>
            <button
              type="button"
              className="link"
              aria-expanded={open.has(e.message_id)}
              aria-controls={id}
              onClick={() => toggle(e.message_id)}
            >
              Raw
            </button>
            {open.has(e.message_id) && (
              <pre className="raw" id={id}>
                {JSON.stringify(e.raw, null, 2)}
              </pre>
            )}
          </>
        )
      },
    },
  ]
}

export function UserDetailTimeline(props: { path: string; currency: string }) {
  const first = useApi<EventPage>(`${props.path}?limit=${PAGE_SIZE}`)
  const [older, setOlder] = useState<EventPage | null>(null)
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set())
  const more = useAction()

  const toggle = useCallback((id: string) => {
    setOpen((was) => {
      const next = new Set(was)
      if (!next.delete(id)) next.add(id)
      return next
    })
  }, [])

  const before = older ? older.next_before : (first.data?.next_before ?? null)
  const loadOlder = () =>
    void more.run(async () => {
      if (before === null) return
      const page = await get<EventPage>(
        `${props.path}?limit=${PAGE_SIZE}&before=${encodeURIComponent(before)}`,
      )
      setOlder({ events: [...(older?.events ?? []), ...page.events], next_before: page.next_before })
    })

  const reload = () => {
    setOlder(null)
    first.reload()
  }

  const events = [...(first.data?.events ?? []), ...(older?.events ?? [])]
  return (
    <>
      <h2>Events</h2>
      {first.loading ? (
        <Loading />
      ) : first.error ? (
        <ErrorState error={first.error} retry={reload} />
      ) : (
        <>
          <DataTable
            title="Event timeline"
            csvName="user-events.csv"
            columns={columns(props.currency, open, toggle)}
            rows={events}
            empty="No events stored for this user."
          />
          <FormError message={more.error} />
          {before !== null && (
            <button type="button" onClick={loadOlder} disabled={more.busy}>
              {more.busy ? 'Loading…' : 'Load older events'}
            </button>
          )}
        </>
      )}
    </>
  )
}
