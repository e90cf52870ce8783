// Settings > Share links, the URL column for owners: the URL created in this tab, or a button that asks the
// server for it again (the token is kept sealed, not in clear) and copies it. Links made before that was
// possible say so: a new link is the way.
import { useState } from 'react'
import type { ShareLink } from '../../api-types'
import { useShareLinkUrl } from '../../api/queries/shareLinks'
import { errorMessage } from '../../components/FormAction'
import { CopyButton } from '../../components/FormSecrets'
import { shareUrls } from './SettingsShareLinkForm'

export function ShareLinkCopy(props: { link: ShareLink }) {
  const { link } = props
  const fetchUrl = useShareLinkUrl()
  const [url, setUrl] = useState(() => shareUrls.get(link.id) ?? null)
  const [copied, setCopied] = useState<'copied' | 'select' | null>(null)

  if (link.revoked_at !== null) return <span className="muted">—</span>
  if (url !== null)
    return (
      <>
        <code>{url}</code> <CopyButton value={url} what={`link ${link.name}`} />
        {copied !== null && (
          <span role="status" className="muted">
            {copied === 'copied' ? ' Copied' : ' Select the URL and copy it'}
          </span>
        )}
      </>
    )
  if (!link.copyable)
    return (
      <span className="muted">
        Created before links could be copied again: create a new one to share this view.
      </span>
    )

  const copy = async () => {
    const answer = await fetchUrl.mutateAsync(link)
    const full = `${location.origin}${answer.path}`
    shareUrls.set(link.id, full)
    setUrl(full)
    try {
      // navigator.clipboard is missing outside secure contexts (plain http on another host).
      if (!navigator.clipboard) throw new Error('no clipboard')
      await navigator.clipboard.writeText(full)
      setCopied('copied')
    } catch {
      setCopied('select')
    }
  }
  return (
    <>
      <button
        type="button"
        onClick={() => void copy().catch(() => undefined)}
        disabled={fetchUrl.isPending}
        aria-label={`Copy link: ${link.name}`}
      >
        Copy link
      </button>
      {fetchUrl.isError && (
        <span role="alert" className="form-error">
          {errorMessage(fetchUrl.error)}
        </span>
      )}
    </>
  )
}
