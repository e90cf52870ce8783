// Workspaces: settings, their Token IDs and api_keys, and the rebuilds a settings change starts.
import type { ChurnRecognition, EventMapping, RevenueRules } from '../../model/types.js'
import type { TokenKind } from '../../model/tokens.js'
import type { RebuildProgress } from '../../model/rebuild.js'

export interface Workspace {
  id: number
  name: string
  timezone: string
  currency: string
  eventMapping: EventMapping
  /** The revenue rules counting follows (docs/metrics.md); changing one rebuilds the metrics. */
  rules: RevenueRules
  /** The fraction of revenue LTV counts, in (0, 1]; read by the metrics at query time. */
  grossMargin: number
  /**
   * Browser requests carrying Do-Not-Track or Global Privacy Control (headers, or the tracker's
   * context.privacy flag) are dropped at ingestion (src/ingest/privacy.ts); no rebuild: it decides what is stored.
   */
  respectPrivacySignals: boolean
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
  churnRecognition?: ChurnRecognition | undefined
  pastDueGraceDays?: number | undefined
  conversionWindowDays?: number | undefined
  grossMargin?: number | undefined
  respectPrivacySignals?: boolean | undefined
}

/** Returned at creation: the api_key is shown only then (stored hashed); the Token ID stays showable. */
export interface CreatedWorkspace extends Workspace {
  token: string
  apiKey: string
}

export interface WriteTokenMatch {
  workspaceId: number
  /** Whether the clear text is stored (false: a Token ID kept only hashed, from before migration 9). */
  showable: boolean
}

/** A write Token ID as Settings > Integrations shows it. */
export interface WriteToken {
  /** Null while only its hash is stored. */
  token: string | null
  /** Its first characters (always stored). */
  hint: string
  createdAt: number
  /** When it stops authenticating (a rotated one, or a temporary one); null: no end. */
  expiresAt: number | null
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
   * Changes settings; a new time zone, currency, event mapping or revenue rule (churn recognition, past-due
   * grace, conversion window) starts a rebuild of the metrics, which the rebuild runner carries out afterwards
   * in slices (store/rebuild-runner.ts). The gross margin is read at query time and the privacy setting applies
   * to what is ingested next: no rebuild.
   */
  update(workspaceId: number, patch: WorkspacePatch): Promise<Workspace | null>
  /** A new Token ID; the previous ones keep working for `graceMs`. */
  rotateToken(workspaceId: number, graceMs: number): Promise<string>
  /** A new api_key; the previous ones stop working at once. */
  rotateApiKey(workspaceId: number): Promise<string>
  setSigningSecret(workspaceId: number, secret: string | null): Promise<void>
  /** The workspace a token belongs to, if it is valid now. */
  resolveToken(kind: TokenKind, token: string): Promise<number | null>
  /**
   * The workspace of a write Token ID valid now, and whether its clear text is stored (Token IDs created before
   * migration 9 are only hashed until they next authenticate: keepTokenShowable).
   */
  findWriteToken(token: string): Promise<WriteTokenMatch | null>
  /** Stores a valid write Token ID's clear text, when its row lacks it; anything else is left unchanged. */
  keepTokenShowable(token: string): Promise<void>
  /** The write Token IDs valid now: the current one first, then those still in a grace (a rotation), newest first. */
  writeTokens(workspaceId: number): Promise<WriteToken[]>
  /** An extra Token ID that expires by itself (the demo's). */
  addTemporaryToken(workspaceId: number, expiresAt: number): Promise<string>
}

/** Recomputing a workspace's users and rollups from its stored raw events, in bounded slices. */
export interface RebuildStore {
  /** Starts recomputing users and every rollup from the stored raw events (with the current settings). */
  start(workspaceId: number): Promise<void>
  /**
   * Starts the rebuild of every workspace marked rebuild_needed (its rollups were counted under older
   * definitions: migration 7), clearing the mark in the same transaction; the workspaces started, in id order.
   * The server calls it when it starts.
   */
  startNeeded(): Promise<number[]>
  progress(workspaceId: number): Promise<RebuildProgress>
  /**
   * One slice (about `budgetMs` of writer time) of a workspace's rebuild — that workspace's, or the next
   * one's in turn — and the progress after it; null when there is none to do.
   */
  slice(budgetMs: number, workspaceId?: number): Promise<(RebuildProgress & { workspaceId: number }) | null>
  /** start, then every slice until it is done (the CLI; tests). */
  runToEnd(workspaceId: number): Promise<{ events: number }>
}
