// A user's status, earnings, key dates, ids, groups, audiences and attributes; every value renders as text.
import type { ReactNode } from 'react'
import { DataTable, type Column } from '../../components/DataTable'
import { dateTime, money } from '../../format'
import { StatusBadge, emailOf, nameOf, type UserView } from './UsersTable'

interface Attribute {
  key: string
  value: unknown
}

/** Strings as they are; numbers, booleans, objects and arrays as JSON text. */
const attributeText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v))

const attributeColumns: Column<Attribute>[] = [
  { key: 'key', label: 'Attribute' },
  {
    key: 'value',
    label: 'Value',
    value: (a) => attributeText(a.value),
    render: (a) => <code className="attr-value">{attributeText(a.value)}</code>,
  },
]

function Fact(props: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </div>
  )
}

function IdList(props: { ids: string[]; none: string }) {
  if (props.ids.length === 0) return <span className="muted">{props.none}</span>
  return (
    <ul className="id-list">
      {props.ids.map((id) => (
        <li key={id}>
          <code>{id}</code>
        </li>
      ))}
    </ul>
  )
}

export function UserDetailProfile(props: { user: UserView }) {
  const u = props.user
  const e = u.earnings
  const others = Object.entries(e.other_currencies)
  const attributes = Object.entries(u.attributes).map(([key, value]) => ({ key, value }))
  const current = u.audiences.filter((a) => a.member)
  const past = u.audiences.filter((a) => !a.member)
  return (
    <>
      <h2>Profile</h2>
      <dl className="card user-facts">
        <Fact label="Status">
          <StatusBadge status={u.status} />
          {u.canceled_at && <span className="muted"> since {dateTime(u.canceled_at)}</span>}
        </Fact>
        {emailOf(u) && <Fact label="Email">{emailOf(u)}</Fact>}
        {nameOf(u) && <Fact label="Name">{nameOf(u)}</Fact>}
        <Fact label="Earnings">
          {money(e.net, e.currency)}{' '}
          <span className="muted">
            ({money(e.payments, e.currency)} paid, {money(e.refunds, e.currency)} refunded)
          </span>
        </Fact>
        {others.map(([currency, o]) => (
          <Fact key={currency} label={`Earnings in ${currency}`}>
            {money(o.net, currency)}{' '}
            <span className="muted">
              ({money(o.payments, currency)} paid, {money(o.refunds, currency)} refunded)
            </span>
          </Fact>
        ))}
        <Fact label="Signed up">{dateTime(u.signed_up_at)}</Fact>
        <Fact label="First payment">{dateTime(u.first_payment_at)}</Fact>
        <Fact label="First seen">{dateTime(u.first_seen)}</Fact>
        <Fact label="Last seen">{dateTime(u.last_seen)}</Fact>
      </dl>

      <h2>Identity</h2>
      <dl className="card user-facts">
        <Fact label="Previous ids">
          <IdList ids={u.previous_ids} none="None" />
        </Fact>
        <Fact label="Anonymous ids">
          <IdList ids={u.anonymous_ids} none="None" />
        </Fact>
        <Fact label={u.groups.length === 1 ? 'Group' : 'Groups'}>
          <IdList ids={u.groups} none="No group" />
        </Fact>
        <Fact label="Audiences">
          {u.audiences.length === 0 && <span className="muted">In no audience</span>}
          <span className="badges">
            {current.map((a) => (
              <span
                key={a.key}
                className="badge good"
                title={a.entered_at ? `Entered ${dateTime(a.entered_at)}` : undefined}
              >
                {a.key}
              </span>
            ))}
            {past.map((a) => (
              <span
                key={a.key}
                className="badge"
                title={a.exited_at ? `Left ${dateTime(a.exited_at)}` : undefined}
              >
                {a.key} (left)
              </span>
            ))}
          </span>
        </Fact>
      </dl>

      <h2>Attributes</h2>
      <DataTable
        title="Attributes"
        csvName="user-attributes.csv"
        columns={attributeColumns}
        rows={attributes}
        empty="No attributes yet — they come from the traits of identify calls."
      />
    </>
  )
}
