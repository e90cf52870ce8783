// The spend entries dated in the range: members add, edit, delete and import them; viewers only read.
import { useState } from 'react'
import type { SpendEntry } from '../../api-types'
import { useDeleteSpend, useSaveSpend, useSpend } from '../../api/queries/spend'
import { DataTable, type Column } from '../../components/DataTable'
import { FormError, useAction } from '../../components/FormAction'
import type { Range } from '../../components/RangePicker'
import { AsyncView } from '../../components/States'
import { money } from '../../format'
import { can, useSession } from '../../session'
import { SpendImport } from './AcquisitionImport'
import { SpendForm } from './AcquisitionSpendForm'
import { spendLabel } from './spend'

/** Adding, editing, deleting or importing spend asks the spend, the UAC and the metrics again (api/queries/spend.ts). */
export function AcquisitionSpend(props: { range: Range; channels: string[] }) {
  const { workspace } = useSession()
  const editable = can(workspace.role, 'spend')
  const spend = useSpend(props.range)
  const save = useSaveSpend()
  const deleteSpend = useDeleteSpend()
  const [editing, setEditing] = useState<SpendEntry | null>(null)
  const [deleted, setDeleted] = useState<SpendEntry | null>(null)
  const action = useAction()

  // Deleting at once with an Undo is quicker than a confirmation dialog, and an entry is easy to re-create.
  const remove = (s: SpendEntry) =>
    void action.run(async () => {
      await deleteSpend.mutateAsync(s)
      if (editing?.id === s.id) setEditing(null)
      setDeleted(s)
    })

  const undo = (s: SpendEntry) =>
    void action.run(async () => {
      await save.mutateAsync({ input: { date: s.date, amount: s.amount, channel: s.channel, note: s.note } })
      setDeleted(null)
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
      {!editable && <p className="muted">Only owners and members can add, edit, delete or import spend.</p>}
      <FormError message={action.error} />
      {deleted && (
        <p role="status" className="toolbar">
          Deleted spend {spendLabel(deleted)}.
          <button type="button" disabled={action.busy} onClick={() => undo(deleted)}>
            Undo
          </button>
        </p>
      )}
      <AsyncView query={spend}>
        {(data) => (
          <DataTable
            title="Acquisition spend"
            columns={columns}
            rows={data.spend}
            empty={
              editable
                ? 'No spend in this range — add what you paid per channel below, or import a CSV, to see the cost per signup.'
                : 'No spend in this range — a member or owner can add it.'
            }
          />
        )}
      </AsyncView>
      {editable && (
        <div className="acq-spend-forms">
          <SpendForm
            key={editing?.id ?? 'new'}
            entry={editing}
            channels={props.channels}
            timezone={workspace.timezone}
            onSaved={() => setEditing(null)}
            onCancel={() => setEditing(null)}
          />
          <SpendImport />
        </div>
      )}
    </>
  )
}
