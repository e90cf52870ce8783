// A user's events, newest first, a page at a time; each row can show the raw Segment message as text.
import { useCallback, useState } from 'react'
import type { UserEvent } from '../../api-types'
import { useUserEvents } from '../../api/queries/users'
import { DataTable, type Column } from '../../components/DataTable'
import { FormError, errorMessage } from '../../components/FormAction'
import { AsyncView } from '../../components/States'
import { dateTime, money } from '../../format'

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

export function UserDetailTimeline(props: { externalId: string; currency: string }) {
  const timeline = useUserEvents(props.externalId)
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set())
  // A failure to load older events keeps the events shown, with its message under them.
  const olderError = timeline.isFetchNextPageError ? timeline.error : null

  const toggle = useCallback((id: string) => {
    setOpen((was) => {
      const next = new Set(was)
      if (!next.delete(id)) next.add(id)
      return next
    })
  }, [])

  return (
    <>
      <h2>Events</h2>
      <AsyncView
        query={{ data: timeline.data, error: olderError ? null : timeline.error, refetch: timeline.refetch }}
      >
        {(data) => (
          <>
            <DataTable
              title="Event timeline"
              csvName="user-events.csv"
              columns={columns(props.currency, open, toggle)}
              rows={data.pages.flatMap((p) => p.events)}
              empty="No events stored for this user."
            />
            <FormError message={olderError && errorMessage(olderError)} />
            {timeline.hasNextPage && (
              <button
                type="button"
                onClick={() => void timeline.fetchNextPage()}
                disabled={timeline.isFetchingNextPage}
              >
                {timeline.isFetchingNextPage ? 'Loading…' : 'Load older events'}
              </button>
            )}
          </>
        )}
      </AsyncView>
    </>
  )
}
