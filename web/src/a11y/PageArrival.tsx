// What follows a navigation inside the dashboard: focus on the new page's heading (so a keyboard or screen reader
// user starts there, not on the link they left), its title announced in a polite live region, and the current
// navigation item scrolled into view (the navigation scrolls sideways on a phone). The first page of a load keeps
// the browser's own focus and announcement.
import { useEffect, useRef, useState } from 'react'

/** How long a page may take to render its heading after its route resolved (a lazy chunk, a first render). */
const HEADING_WAIT_MS = 1_000

export function PageArrival(props: { pathname: string | undefined; title: string }) {
  const { pathname, title } = props
  const [announcement, setAnnouncement] = useState('')
  const shown = useRef<string | undefined>(undefined)
  // The heading of the page shown last: while the next page's code loads, React keeps the old page on screen, so
  // the new page's heading is the first h1 that is not this one.
  const heading = useRef<HTMLElement | null>(null)

  useEffect(() => {
    if (pathname === undefined) return
    scrollCurrentNavItemIntoView()
    if (shown.current === pathname) return
    const first = shown.current === undefined
    shown.current = pathname
    if (!first) setAnnouncement(title)
    return whenNewHeading(heading.current, (found) => {
      heading.current = found
      // The first page of a load keeps the browser's focus (at the top, before the skip link).
      if (!first) focusHeading(found)
    })
    // Not on a change of title alone: a navigation is a change of path.
  }, [pathname])

  return (
    <div className="sr-only" role="status" aria-live="polite" aria-atomic="true" data-testid="page-announcer">
      {announcement}
    </div>
  )
}

function scrollCurrentNavItemIntoView(): void {
  const current = document.querySelector<HTMLElement>('nav [aria-current="page"]')
  current?.scrollIntoView({ block: 'nearest', inline: 'center' })
}

/**
 * Calls `then` with the page's h1 once it is another element than `previous` (or, after HEADING_WAIT_MS, with
 * whatever h1 is there: the same page component may have kept its element); returns a cancel.
 */
function whenNewHeading(
  previous: HTMLElement | null,
  then: (heading: HTMLElement | null) => void,
): () => void {
  const deadline = performance.now() + HEADING_WAIT_MS
  let frame = 0
  const attempt = () => {
    const found = document.querySelector<HTMLElement>('main h1')
    if ((found === null || found === previous) && performance.now() < deadline) {
      frame = requestAnimationFrame(attempt)
      return
    }
    then(found)
  }
  attempt()
  return () => cancelAnimationFrame(frame)
}

/** Focuses the heading (tabIndex -1: focusable by script, not a tab stop), else <main>. */
function focusHeading(heading: HTMLElement | null): void {
  const target = heading ?? document.querySelector<HTMLElement>('main')
  if (target === null) return
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1')
  target.focus({ preventScroll: true })
}
