// Read-only links to a workspace's metrics, for investors.

export interface ShareLink {
  id: number
  workspaceId: number
  name: string
  /** Metric keys the link may show; null: all. */
  metrics: string[] | null
  passwordHash: string | null
  createdAt: number
  revokedAt: number | null
  /**
   * The token sealed under a key outside the database (src/share-key.ts), so an owner can copy the link
   * again; null for links made before migration 9 or without a lasting key.
   */
  tokenSealed: string | null
}

export interface NewShareLink {
  name: string
  metrics: string[] | null
  passwordHash: string | null
  /** Seals the new token to be kept with the link (null: kept nowhere); absent: not kept. */
  seal?: ((token: string) => string | null) | undefined
}

/** Password checks of a share link: at most `max` wrong ones in a window that starts at the first. */
export interface GuessPolicy {
  now: number
  max: number
  windowMs: number
}

export interface ShareLinkStore {
  create(workspaceId: number, input: NewShareLink): Promise<{ link: ShareLink; token: string }>
  list(workspaceId: number): Promise<ShareLink[]>
  /** One link of the workspace, revoked or not. */
  get(workspaceId: number, id: number): Promise<ShareLink | null>
  revoke(workspaceId: number, id: number): Promise<boolean>
  /** A link that is not revoked. */
  find(token: string): Promise<ShareLink | null>
  /**
   * Reserves one password check of a link before it is made, in one atomic step: false when the window's budget
   * is spent. A reservation counts as a wrong password unless given back with `releasePasswordAttempt`.
   */
  reservePasswordAttempt(workspaceId: number, linkId: number, policy: GuessPolicy): Promise<boolean>
  /** Gives back a reservation whose password was right. */
  releasePasswordAttempt(workspaceId: number, linkId: number): Promise<void>
}
