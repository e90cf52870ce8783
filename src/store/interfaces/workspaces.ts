// Workspaces: settings, their Token IDs and api_keys, and the rebuilds a settings change starts.
import type { EventMapping } from '../../model/types.js'
import type { TokenKind } from '../../model/tokens.js'
import type { RebuildProgress } from '../../model/rebuild.js'

export interface Workspace {
  id: number
  name: string
  timezone: string
  currency: string
  eventMapping: EventMapping
  signingSecret: string | null
  createdAt: number
}

export interface NewWorkspace {
  name: string
  timezone: string
  currency: string
  signingSecret?: string | null
}

export interface WorkspacePatch {
  name?: string | undefined
  timezone?: string | undefined
  currency?: string | undefined
  eventMapping?: EventMapping | undefined
}

/** Returned once, at creation: the secrets are only stored hashed. */
export interface CreatedWorkspace extends Workspace {
  token: string
  apiKey: string
}

export interface WorkspaceStore {
  create(input: NewWorkspace): Promise<CreatedWorkspace>
  /**
   * A new workspace owned by the account, unless it owns `maxOwned` already (null); counted and created
   * atomically per account, whatever the concurrency.
   */
  createOwned(accountId: number, input: NewWorkspace, maxOwned: number): Promise<CreatedWorkspace | null>
  list(): Promise<Workspace[]>
  get(id: number): Promise<Workspace | null>
  /**
   * Changes settings; a new time zone, currency or event mapping starts a rebuild of the metrics, which
   * the rebuild runner carries out afterwards in slices (store/rebuild-runner.ts).
   */
  update(workspaceId: number, patch: WorkspacePatch): Promise<Workspace | null>
  /** A new Token ID; the previous ones keep working for `graceMs`. */
  rotateToken(workspaceId: number, graceMs: number): Promise<string>
  /** A new api_key; the previous ones stop working at once. */
  rotateApiKey(workspaceId: number): Promise<string>
  setSigningSecret(workspaceId: number, secret: string | null): Promise<void>
  /** The workspace a token belongs to, if it is valid now. */
  resolveToken(kind: TokenKind, token: string): Promise<number | null>
  /** An extra Token ID that expires by itself (the demo's). */
  addTemporaryToken(workspaceId: number, expiresAt: number): Promise<string>
}

/** Recomputing a workspace's users and rollups from its stored raw events, in bounded slices. */
export interface RebuildStore {
  /** Starts recomputing users and every rollup from the stored raw events (with the current settings). */
  start(workspaceId: number): Promise<void>
  progress(workspaceId: number): Promise<RebuildProgress>
  /**
   * One slice (about `budgetMs` of writer time) of a workspace's rebuild — that workspace's, or the next
   * one's in turn — and the progress after it; null when there is none to do.
   */
  slice(budgetMs: number, workspaceId?: number): Promise<(RebuildProgress & { workspaceId: number }) | null>
  /** start, then every slice until it is done (the CLI; tests). */
  runToEnd(workspaceId: number): Promise<{ events: number }>
}
