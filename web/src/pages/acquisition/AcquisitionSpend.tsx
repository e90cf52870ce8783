// The spend entries dated in the range: members add, edit, delete and import them; viewers only read.
import { useState } from 'react'
import { api } from '../../api'
import type { SpendEntry } from '../../api-types'
import { DataTable, type Column } from '../../components/DataTable'
import { FormError, useAction } from '../../components/FormAction'
import type { Range } from '../../components/RangePicker'
import { ErrorState, Loading } from '../../components/States'
import { money } from '../../format'
import { can, useSession } from '../../session'
import { useApi } from '../../useApi'
import { SpendImport } from './AcquisitionImport'
import { SpendForm } from './AcquisitionSpendForm'
import { spendLabel, type SpendInput } from './spend'

export function AcquisitionSpend(props: { range: Range; channels: string[]; onChange: () => void }) {
  const { workspace } = useSession()
  const editable = can(workspace.role, 'spend')
  const { data, error, loading, reload } = useApi<{ spend: SpendEntry[] }>(
    `/api/v1/spend?from=${props.range.from}&to=${props.range.to}`,
  )
  const [editing, setEditing] = useState<SpendEntry | null>(null)
  const [deleted, setDeleted] = useState<SpendEntry | null>(null)
  const action = useAction()

  const changed = () => {
    reload()
    props.onChange()
  }

  // Deleting at once with an Undo is quicker than a confirmation dialog, and an entry is easy to re-create.
  const remove = (s: SpendEntry) =>
    void action.run(async () => {
      await api('DELETE', `/api/v1/spend/${s.id}`)
      if (editing?.id === s.id) setEditing(null)
      setDeleted(s)
      changed()
    })

  const undo = (s: SpendEntry) =>
    void action.run(async () => {
      await api('POST', '/api/v1/spend', {
        date: s.date,
        amount: s.amount,
        channel: s.channel,
        note: s.note,
      } satisfies SpendInput)
      setDeleted(null)
      changed()
    })

  const columns: Column<SpendEntry>[] = [
    { key: 'date', label: 'Date', render: (s) => <span className="nowrap">{s.date}</span> },
    {
      key: 'channel',
      label: 'Channel',
      render: (s) => s.channel ?? <span className="muted">No channel</span>,
    },
    { key: 'amount', label: 'Amount', numeric: true, render: (s) => money(s.amount, workspace.currency) },
    { key: 'note', label: 'Note', render: (s) => s.note ?? '' },
  ]
  if (editable)
    columns.push({
      key: 'actions',
      label: 'Actions',
      value: () => '',
      render: (s) => (
        <span className="row-actions">
          <button
            type="button"
            className="link"
            aria-label={`Edit spend ${spendLabel(s)}`}
            onClick={() => setEditing(s)}
          >
            Edit
          </button>
          <button
            type="button"
            className="link danger"
            disabled={action.busy}
            aria-label={`Delete spend ${spendLabel(s)}`}
            onClick={() => remove(s)}
          >
            Delete
          </button>
        </span>
      ),
    })

  return (
    <>
      {!editable && <p className="muted">Your role can read spend; a member or owner adds and edits it.</p>}
      <FormError message={action.error} />
      {deleted && (
        <p role="status" className="toolbar">
          Deleted spend {spendLabel(deleted)}.
          <button type="button" disabled={action.busy} onClick={() => undo(deleted)}>
            Undo
          </button>
        </p>
      )}
      {loading ? (
        <Loading />
      ) : error ? (
        <ErrorState error={error} retry={reload} />
      ) : (
        <DataTable
          title="Acquisition spend"
          columns={columns}
          rows={data?.spend ?? []}
          empty={
            editable
              ? 'No spend in this range — add what you paid per channel below, or import a CSV, to see the cost per signup.'
              : 'No spend in this range — a member or owner can add it.'
          }
        />
      )}
      {editable && (
        <div className="acq-spend-forms">
          <SpendForm
            key={editing?.id ?? 'new'}
            entry={editing}
            channels={props.channels}
            timezone={workspace.timezone}
            onSaved={() => {
              setEditing(null)
              changed()
            }}
            onCancel={() => setEditing(null)}
          />
          <SpendImport onImported={changed} />
        </div>
      )}
    </>
  )
}
