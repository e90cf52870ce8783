// A one-line explanation tied to what it explains: a real tooltip element (role="tooltip", aria-describedby),
// shown on hover and on keyboard focus (or a tap, which focuses), hidden again by Escape. The trigger is a
// focusable span, so a tap on a phone shows the explanation rather than leaving the page; beside it, a small "?"
// links to the explanation's section of the metrics documentation.
import { useId, useState, type ReactNode } from 'react'
import './tip.css'

export function Tip(props: {
  /** What is explained (a column's or card's label, an em dash). */
  children: ReactNode
  /** The explanation: one line. */
  tip: ReactNode
  /** The documentation of it, e.g. "/docs/metrics#churn_rate". */
  href?: string
  /** What is explained, in words, for the documentation link's name ("How Churn rate is computed"). */
  name?: string
  className?: string
}) {
  const id = `tip-${useId().replace(/:/g, '')}`
  // Escape hides the tooltip without moving focus (WCAG 1.4.13); the next focus or hover shows it again.
  const [dismissed, setDismissed] = useState(false)
  const trigger = {
    'aria-describedby': id,
    className: 'tip-trigger',
    onKeyDown: (e: { key: string }) => {
      if (e.key === 'Escape') setDismissed(true)
    },
    onFocus: () => setDismissed(false),
    onMouseEnter: () => setDismissed(false),
  }
  return (
    <span className={`tip${dismissed ? ' dismissed' : ''}${props.className ? ` ${props.className}` : ''}`}>
      <span tabIndex={0} {...trigger}>
        {props.children}
      </span>
      {props.href !== undefined && (
        <a
          className="tip-docs"
          href={props.href}
          aria-label={`How ${props.name ?? 'this'} is computed`}
          aria-describedby={id}
        >
          ?
        </a>
      )}
      <span role="tooltip" id={id} className="tip-text">
        {props.tip}
      </span>
    </span>
  )
}
