// Who may see a workspace: members with roles, and invitations to become one.
import type { Account } from './accounts.js'
import type { Workspace } from './workspaces.js'

export const ROLES = ['owner', 'member', 'viewer'] as const

export type Role = (typeof ROLES)[number]

/** An email invited to a workspace with a role: it becomes a member only when an account with it accepts. */
export interface Invitation {
  id: number
  workspaceId: number
  email: string
  role: Role
  createdAt: number
}

export interface MemberStore {
  /** The workspaces an account is a member of, with its role there. */
  memberships(accountId: number): Promise<Array<{ workspace: Workspace; role: Role }>>
  list(workspaceId: number): Promise<Array<{ account: Account; role: Role }>>
  set(workspaceId: number, accountId: number, role: Role): Promise<void>
  remove(workspaceId: number, accountId: number): Promise<boolean>
}

export interface InvitationStore {
  /** Invites an email (replacing its pending invitation there); null when it is a member's email already. */
  create(workspaceId: number, email: string, role: Role): Promise<Invitation | null>
  list(workspaceId: number): Promise<Invitation[]>
  cancel(workspaceId: number, id: number): Promise<boolean>
  /** Pending invitations to the account's email, oldest first, with their workspaces. */
  addressedTo(accountId: number): Promise<Array<{ invitation: Invitation; workspace: Workspace }>>
  /**
   * Makes the account a member with the invitation's role (a member already keeps the role they have) and
   * deletes the invitation, atomically; null when no such invitation is addressed to the account's email.
   */
  accept(accountId: number, id: number): Promise<{ workspaceId: number; role: Role } | null>
  decline(accountId: number, id: number): Promise<boolean>
}
