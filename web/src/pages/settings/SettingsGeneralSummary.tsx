// Settings > General as text, for the parts a role cannot change (issue 20, item 9): a member reads the
// owner's settings here, a viewer every setting. No control that cannot be used.
import type { Workspace } from '../../api-types'
import './settings-summary.css'

const MAPPING: Array<[keyof Workspace['event_mapping'], string]> = [
  ['signup', 'Signup events'],
  ['payment', 'Payment events'],
  ['refund', 'Refund events'],
  ['cancel', 'Cancellation events'],
]

const CHURN: Record<Workspace['churn_recognition'], string> = {
  end_of_period: 'At the end of the paid period',
  immediate: 'At once',
}

function Item(props: { term: string; value: string }) {
  return (
    <>
      <dt>{props.term}</dt>
      <dd>{props.value}</dd>
    </>
  )
}

export function WorkspaceSummary(props: { workspace: Workspace }) {
  const ws = props.workspace
  return (
    <dl className="settings-summary">
      <Item term="Workspace name" value={ws.name} />
      <Item term="Time zone" value={ws.timezone} />
      <Item term="Currency" value={ws.currency} />
    </dl>
  )
}

export function MappingSummary(props: { workspace: Workspace }) {
  return (
    <>
      <h3>Event mapping</h3>
      <dl className="settings-summary">
        {MAPPING.map(([kind, label]) => (
          <Item key={kind} term={label} value={props.workspace.event_mapping[kind].join(', ')} />
        ))}
      </dl>
    </>
  )
}

export function RulesSummary(props: { workspace: Workspace }) {
  const ws = props.workspace
  return (
    <>
      <h3>Revenue rules</h3>
      <dl className="settings-summary">
        <Item term="Churn recognition" value={CHURN[ws.churn_recognition]} />
        <Item term="Past-due grace" value={`${ws.past_due_grace_days} days`} />
        <Item term="Conversion window" value={`${ws.conversion_window_days} days`} />
        <Item term="Gross margin" value={`${Math.round(ws.gross_margin * 1e6) / 1e4} %`} />
        <Item
          term="Do-Not-Track and Global Privacy Control"
          value={ws.respect_privacy_signals ? 'Respected: those browsers’ events are dropped' : 'Not applied'}
        />
      </dl>
    </>
  )
}
