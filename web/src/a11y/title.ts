// The document title of every page: "Revenue · My Startup · Tractionboard" (page · workspace · product), so tabs,
// history and screen readers name the page and the workspace.
import { useEffect } from 'react'

export const PRODUCT = 'Tractionboard'

export const documentTitle = (...parts: Array<string | null | undefined>) =>
  [...parts.filter((p): p is string => typeof p === 'string' && p !== ''), PRODUCT].join(' · ')

export function useDocumentTitle(...parts: Array<string | null | undefined>): void {
  const title = documentTitle(...parts)
  useEffect(() => {
    document.title = title
  }, [title])
}
