// In-process notices that some access may have ended (a logout, a removed member, a changed role or password),
// so that long-lived responses of this process check their credentials again at once instead of at their next
// periodic check. A notice says where to look, not what the answer is: the store stays the only truth.
import { hashToken } from '../model/tokens.js'

export type Revocation =
  /** One session ended (logout). */
  | { kind: 'session'; tokenHash: string }
  /** Every session of an account may have ended (a password change). */
  | { kind: 'account'; accountId: number }
  /** An account's role in a workspace changed or was removed. */
  | { kind: 'membership'; workspaceId: number; accountId: number }

export type RevocationListener = (revocation: Revocation) => void

export class Revocations {
  private readonly listeners = new Set<RevocationListener>()

  /** Call after the change is committed, so a check it triggers reads the new state. */
  notify(revocation: Revocation): void {
    for (const listener of this.listeners) listener(revocation)
  }

  sessionEnded(token: string): void {
    this.notify({ kind: 'session', tokenHash: hashToken(token) })
  }

  subscribe(listener: RevocationListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
