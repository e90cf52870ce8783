// Settings > General: name, time zone, currency (owner) and the event mapping (member and owner).
import { Fragment, useState, type FormEvent } from 'react'
import type { Workspace } from '../../api-types'
import { useUpdateWorkspace, useWorkspaceSettings } from '../../api/queries/workspace'
import { FormError, useAction } from '../../components/FormAction'
import { WorkspaceFields, type WorkspaceInput } from '../../components/FormWorkspaceFields'
import { RebuildProgress } from '../../components/RebuildProgress'
import { AsyncView } from '../../components/States'
import { can, useSession } from '../../session'
import { SettingsNewWorkspace } from './SettingsNewWorkspace'

type WorkspaceSettings = Workspace
type Kind = keyof Workspace['event_mapping']

/** Labels, and the server's DEFAULT_EVENT_MAPPING (src/model/types.ts): those names always count. */
const KINDS: Array<[Kind, string, string]> = [
  ['signup', 'Signup events', 'signup'],
  ['payment', 'Payment events', 'Payment Made'],
  ['refund', 'Refund events', 'Refund Received'],
  ['cancel', 'Cancellation events', 'cancel'],
]

const lines = (text: string) => [
  ...new Set(
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
  ),
]

/** The server recomputes the metrics from the raw events when the time zone, currency or mapping changes. */
function rebuilt(before: WorkspaceSettings, after: WorkspaceSettings): boolean {
  return (
    before.timezone !== after.timezone ||
    before.currency !== after.currency ||
    KINDS.some(([k]) => JSON.stringify(before.event_mapping[k]) !== JSON.stringify(after.event_mapping[k]))
  )
}

// The PATCH schema is strict: it refuses the id and unknown keys.
const pickFields = ({ name, timezone, currency }: WorkspaceInput): WorkspaceInput => ({
  name,
  timezone,
  currency,
})

function GeneralForm(props: { initial: WorkspaceSettings }) {
  const session = useSession()
  const role = session.workspace.role
  const owner = can(role, 'admin')
  const [saved, setSaved] = useState(props.initial)
  const [fields, setFields] = useState<WorkspaceInput>(() => pickFields(props.initial))
  const [mapping, setMapping] = useState(() =>
    Object.fromEntries(KINDS.map(([k]) => [k, props.initial.event_mapping[k].join('\n')])),
  )
  const [notice, setNotice] = useState('')
  const update = useUpdateWorkspace()
  const { busy, error, run } = useAction()

  const submit = (e: FormEvent) => {
    e.preventDefault()
    setNotice('')
    void run(async () => {
      const event_mapping = Object.fromEntries(KINDS.map(([k]) => [k, lines(mapping[k] ?? '')]))
      // Members may send the mapping only; the server refuses name, time zone or currency from them.
      const next = await update.mutateAsync(owner ? { ...fields, event_mapping } : { event_mapping })
      setNotice(
        rebuilt(saved, next)
          ? 'Saved. The metrics are being recomputed from the stored events with the new settings.'
          : 'Saved.',
      )
      setSaved(next)
      setFields(pickFields(next))
      setMapping(Object.fromEntries(KINDS.map(([k]) => [k, next.event_mapping[k].join('\n')])))
      // The top bar shows the name, time zone and currency.
      if (owner) await session.refresh()
    })
  }

  return (
    <form className="form settings-form" onSubmit={submit}>
      <h2>Workspace</h2>
      {!can(role, 'mapping') && (
        <p className="muted">Your role ({role}) can read these settings but not change them.</p>
      )}
      {role === 'member' && (
        <p className="muted">
          Only an owner can change the name, time zone and currency; members can change the event mapping.
        </p>
      )}
      <RebuildProgress />
      <fieldset disabled={!can(role, 'mapping')} className="plain">
        <WorkspaceFields value={fields} onChange={setFields} disabled={!owner} />
        <h3>Event mapping</h3>
        <p className="muted">
          Which track event names count as signups, payments, refunds and cancellations: one name per line.
          The default name always counts. Changing the mapping, time zone or currency recomputes every metric
          from the stored events.
        </p>
        {KINDS.map(([kind, label, fixed]) => (
          <Fragment key={kind}>
            <label>
              {label}
              <textarea
                rows={3}
                value={mapping[kind]}
                onChange={(e) => setMapping({ ...mapping, [kind]: e.target.value })}
                aria-describedby={`hint-${kind}`}
              />
            </label>
            <small id={`hint-${kind}`} className="muted">
              “{fixed}” always counts.
            </small>
          </Fragment>
        ))}
        <FormError message={error} />
        <div className="toolbar">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save'}
          </button>
          <span role="status" className="muted">
            {notice}
          </span>
        </div>
      </fieldset>
    </form>
  )
}

export function SettingsGeneral() {
  const settings = useWorkspaceSettings()
  return (
    <>
      <AsyncView query={settings}>{(data) => <GeneralForm initial={data} />}</AsyncView>
      <SettingsNewWorkspace />
    </>
  )
}
