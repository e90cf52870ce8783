// Settings > Share links: read-only investor views, revocable; owners copy a link's URL again later.
import type { ShareLink } from '../../api-types'
import { useRevokeShareLink, useShareLinks } from '../../api/queries/shareLinks'
import { DataTable, type Column } from '../../components/DataTable'
import { FormError, useAction } from '../../components/FormAction'
import { AsyncView } from '../../components/States'
import { dateTime } from '../../format'
import { can, useSession } from '../../session'
import { ShareLinkCopy } from './SettingsShareLinkCopy'
import { ShareLinkForm, shareUrls } from './SettingsShareLinkForm'
import { metricLabel } from './SettingsShareMetrics'

/** `metrics` null: every metric. */
export type { ShareLink }

const metricsText = (l: ShareLink) =>
  l.metrics === null ? 'All metrics' : l.metrics.map(metricLabel).join(', ')

export function SettingsShareLinks() {
  const { workspace } = useSession()
  const owner = can(workspace.role, 'admin')
  const links = useShareLinks()
  const revokeLink = useRevokeShareLink()
  const action = useAction()

  const revoke = (l: ShareLink) => {
    if (!confirm(`Revoke the share link “${l.name}”? Anyone using it loses access.`)) return
    void action.run(async () => {
      await revokeLink.mutateAsync(l)
    })
  }

  const columns: Column<ShareLink>[] = [
    { key: 'created_at', label: 'Created', render: (l) => dateTime(l.created_at) },
    { key: 'name', label: 'Name' },
    { key: 'metrics', label: 'Metrics', value: metricsText, render: metricsText },
    {
      key: 'password_protected',
      label: 'Password',
      value: (l) => (l.password_protected ? 'yes' : 'no'),
      render: (l) => (l.password_protected ? 'Yes' : 'No'),
    },
    // The URL is a read credential: owners only (the server refuses it to other roles).
    ...(owner
      ? [
          {
            key: 'url',
            label: 'URL',
            value: (l: ShareLink) => shareUrls.get(l.id) ?? '',
            render: (l: ShareLink) => <ShareLinkCopy link={l} />,
          },
        ]
      : []),
    {
      key: 'status',
      label: 'Status',
      value: (l) => (l.revoked_at ? `revoked ${l.revoked_at}` : 'active'),
      render: (l) =>
        l.revoked_at ? (
          <span className="badge bad">Revoked {dateTime(l.revoked_at)}</span>
        ) : owner ? (
          <button type="button" className="danger" disabled={action.busy} onClick={() => revoke(l)}>
            Revoke
          </button>
        ) : (
          <span className="badge good">Active</span>
        ),
    },
  ]

  return (
    <>
      <h2>Share links</h2>
      <p className="muted">
        A share link opens a read-only view of chosen metrics, without an account. Revoke it to cut access at
        once.
      </p>
      {!owner && <p className="muted">Only owners can create, copy or revoke share links.</p>}
      <FormError message={action.error} />
      <AsyncView query={links}>
        {(data) => (
          <DataTable
            title="Share links"
            columns={columns}
            rows={data.share_links}
            empty={
              owner
                ? 'No share links yet — create one below to show investors your metrics.'
                : 'No share links yet.'
            }
          />
        )}
      </AsyncView>
      {owner && <ShareLinkForm />}
    </>
  )
}
