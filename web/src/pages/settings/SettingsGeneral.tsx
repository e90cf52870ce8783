// Settings > General: name, time zone, currency (owner), the event mapping (member and owner), the revenue
// rules and gross margin, and whether browsers' privacy signals are respected (owner). What a role cannot
// change is shown as text, not as a disabled control: a viewer sees no form at all.
import { Fragment, useState, type FormEvent } from 'react'
import type { Workspace } from '../../api-types'
import { useUpdateWorkspace, useWorkspaceSettings } from '../../api/queries/workspace'
import { FormError, useAction } from '../../components/FormAction'
import { WorkspaceFields, type WorkspaceInput } from '../../components/FormWorkspaceFields'
import { RebuildProgress } from '../../components/RebuildProgress'
import { AsyncView } from '../../components/States'
import { can, useSession } from '../../session'
import { MappingSummary, RulesSummary, WorkspaceSummary } from './SettingsGeneralSummary'
import { SettingsNewWorkspace } from './SettingsNewWorkspace'
import { SettingsRulesFields, type RulesInput } from './SettingsRulesFields'

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

const rulesOf = (ws: WorkspaceSettings): RulesInput => ({
  churn_recognition: ws.churn_recognition,
  past_due_grace_days: String(ws.past_due_grace_days),
  conversion_window_days: String(ws.conversion_window_days),
  // Rounded to what the input shows: 0.07 × 100 is 7.000000000000001.
  gross_margin_percent: String(Math.round(ws.gross_margin * 1e6) / 1e4),
  respect_privacy_signals: ws.respect_privacy_signals,
})

const rulesPatch = (rules: RulesInput) => ({
  churn_recognition: rules.churn_recognition,
  past_due_grace_days: Number(rules.past_due_grace_days),
  conversion_window_days: Number(rules.conversion_window_days),
  gross_margin: Number(rules.gross_margin_percent) / 100,
  respect_privacy_signals: rules.respect_privacy_signals,
})

/**
 * The server recomputes the metrics from the raw events when the time zone, currency, mapping or a revenue
 * rule changes (the gross margin is only read by LTV).
 */
function rebuilt(before: WorkspaceSettings, after: WorkspaceSettings): boolean {
  return (
    before.timezone !== after.timezone ||
    before.currency !== after.currency ||
    KINDS.some(([k]) => JSON.stringify(before.event_mapping[k]) !== JSON.stringify(after.event_mapping[k])) ||
    before.churn_recognition !== after.churn_recognition ||
    before.past_due_grace_days !== after.past_due_grace_days ||
    before.conversion_window_days !== after.conversion_window_days
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
  const [rules, setRules] = useState(() => rulesOf(props.initial))
  const [notice, setNotice] = useState('')
  const update = useUpdateWorkspace()
  const { busy, error, run } = useAction()

  const submit = (e: FormEvent) => {
    e.preventDefault()
    setNotice('')
    void run(async () => {
      const event_mapping = Object.fromEntries(KINDS.map(([k]) => [k, lines(mapping[k] ?? '')]))
      // Members may send the mapping only; the server refuses the other settings from them.
      const next = await update.mutateAsync(
        owner ? { ...fields, event_mapping, ...rulesPatch(rules) } : { event_mapping },
      )
      setNotice(
        rebuilt(saved, next)
          ? 'Saved. The metrics are being recomputed from the stored events with the new settings.'
          : 'Saved.',
      )
      setSaved(next)
      setFields(pickFields(next))
      setRules(rulesOf(next))
      setMapping(Object.fromEntries(KINDS.map(([k]) => [k, next.event_mapping[k].join('\n')])))
      // The top bar shows the name, time zone and currency.
      if (owner) await session.refresh()
    })
  }

  return (
    <form className="form settings-form" onSubmit={submit}>
      <h2>Workspace</h2>
      <p className="muted">
        Only owners can change the name, time zone, currency, revenue rules and privacy setting; members can
        change the event mapping.
      </p>
      <RebuildProgress />
      <fieldset className="plain">
        {owner ? (
          <WorkspaceFields value={fields} onChange={setFields} />
        ) : (
          <WorkspaceSummary workspace={saved} />
        )}
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
        {owner ? (
          <SettingsRulesFields value={rules} onChange={setRules} />
        ) : (
          <RulesSummary workspace={saved} />
        )}
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

/** A viewer changes nothing here: every setting as text, and who can change it. */
function GeneralReadOnly(props: { workspace: WorkspaceSettings }) {
  return (
    <section className="form settings-form" aria-labelledby="general-heading">
      <h2 id="general-heading">Workspace</h2>
      <p className="muted">Only owners can change these settings; members can change the event mapping.</p>
      <RebuildProgress />
      <WorkspaceSummary workspace={props.workspace} />
      <MappingSummary workspace={props.workspace} />
      <RulesSummary workspace={props.workspace} />
    </section>
  )
}

export function SettingsGeneral() {
  const settings = useWorkspaceSettings()
  const { workspace } = useSession()
  return (
    <>
      <AsyncView query={settings}>
        {(data) =>
          can(workspace.role, 'mapping') ? (
            <GeneralForm initial={data} />
          ) : (
            <GeneralReadOnly workspace={data} />
          )
        }
      </AsyncView>
      <SettingsNewWorkspace />
    </>
  )
}
