// Settings: one tab per concern. The tab is the URL hash: links point at, e.g., #integrations, and any change of
// hash switches the tab (a link, an address typed, Back to an entry with another hash).
import { useLocation, useNavigate } from '@tanstack/react-router'
import { useRef, type KeyboardEvent } from 'react'
import { SettingsExchangeRates } from './SettingsExchangeRates'
import { SettingsGeneral } from './SettingsGeneral'
import { SettingsIntegrations } from './SettingsIntegrations'
import { SettingsMembers } from './SettingsMembers'
import { SettingsShareLinks } from './SettingsShareLinks'

const TABS = [
  ['general', 'General'],
  ['exchange-rates', 'Exchange rates'],
  ['integrations', 'Integrations'],
  ['members', 'Members'],
  ['share-links', 'Share links'],
] as const

type Tab = (typeof TABS)[number][0]

const tabOf = (hash: string): Tab => TABS.find(([id]) => id === hash.replace(/^#/, ''))?.[0] ?? 'general'

export function Settings() {
  const hash = useLocation({ select: (l) => l.hash })
  const navigate = useNavigate()
  const tab = tabOf(hash)
  const buttons = useRef<Partial<Record<Tab, HTMLButtonElement | null>>>({})

  // Choosing a tab replaces the hash rather than pushing it: Back leaves Settings rather than stepping through
  // the tabs looked at.
  const select = (id: Tab, focus = false) => {
    if (id !== tab) {
      void navigate({
        to: '/settings',
        hash: id,
        replace: true,
        resetScroll: false,
        hashScrollIntoView: false,
      })
    }
    if (focus) buttons.current[id]?.focus()
  }

  // The tablist is one tab stop; arrows, Home and End move between tabs (WAI-ARIA tabs pattern).
  const onKeyDown = (e: KeyboardEvent) => {
    const i = TABS.findIndex(([id]) => id === tab)
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: TABS.length - 1 }[e.key]
    if (next === undefined) return
    e.preventDefault()
    select(TABS[(next + TABS.length) % TABS.length]![0], true)
  }

  return (
    <>
      <h1>Settings</h1>
      <div role="tablist" aria-label="Settings sections" className="tabs" onKeyDown={onKeyDown}>
        {TABS.map(([id, label]) => (
          <button
            key={id}
            ref={(el) => {
              buttons.current[id] = el
            }}
            type="button"
            role="tab"
            id={`tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`panel-${id}`}
            tabIndex={tab === id ? 0 : -1}
            onClick={() => select(id)}
          >
            {label}
          </button>
        ))}
      </div>
      <section role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tabpanel">
        {tab === 'general' && <SettingsGeneral />}
        {tab === 'exchange-rates' && <SettingsExchangeRates />}
        {tab === 'integrations' && <SettingsIntegrations />}
        {tab === 'members' && <SettingsMembers />}
        {tab === 'share-links' && <SettingsShareLinks />}
      </section>
    </>
  )
}
