// The signed-in account and the chosen workspace, shared by every page.
import { createContext, useContext } from 'react'
import type { Me, WorkspaceSummary } from './types'

export interface SessionValue {
  me: Me
  workspace: WorkspaceSummary
  switchWorkspace: (id: number) => void
  /** Reloads the account (after creating a workspace or changing settings). */
  refresh: () => Promise<void>
  logout: () => Promise<void>
}

export const SessionContext = createContext<SessionValue | null>(null)

export function useSession(): SessionValue {
  const value = useContext(SessionContext)
  if (value === null) throw new Error('useSession outside a signed-in page')
  return value
}

/** Roles allow: viewer reads; member also manages spend, exchange rates and event mapping; owner everything. */
export function can(
  role: WorkspaceSummary['role'],
  action: 'read' | 'spend' | 'rates' | 'mapping' | 'admin',
): boolean {
  if (action === 'read') return true
  if (action === 'spend' || action === 'rates' || action === 'mapping') return role !== 'viewer'
  return role === 'owner'
}
