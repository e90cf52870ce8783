// A Store assembled from the core: every sub-store is the core's, over the dialect's executor, except the few
// parts a dialect supplies (how a settings change starts a rebuild, how a rebuild slice and an ingest commit
// run, privacy deletion's transaction, copy's bulk insert). Both stores extend ComposedStore.
import type { RebuildProgress } from '../../model/rebuild.js'
import type { IngestStore } from '../interfaces/ingest.js'
import type { UserStore } from '../interfaces/users.js'
import type { RebuildStore } from '../interfaces/workspaces.js'
import { nextInTurn, runRebuild } from '../rebuild-runner.js'
import type { BackupResult, Store } from '../store.js'
import { SUB_STORES } from '../store.js'
import { CoreAccounts } from './accounts.js'
import { CoreCopySupport, type CopyHooks } from './copy-support.js'
import { CoreExports } from './exports.js'
import { CoreFxRates } from './fx-rates.js'
import { CoreInvitations } from './invitations.js'
import { CoreLiveHistory } from './live-history.js'
import { CoreMembers } from './members.js'
import { CoreMetricsReader } from './metrics-reader.js'
import { workspacesNeedingRebuild } from './rebuild.js'
import { CoreSessions } from './sessions.js'
import { CoreShareLinks } from './share-links.js'
import { CoreSpend } from './spend.js'
import type { Executor } from './sql.js'
import { CoreUsers, listRejected } from './users.js'
import { CoreWorkspaces, type WorkspaceOptions } from './workspaces.js'

/** A dialect's way of running rebuilds; the turn between workspaces and running to the end are the core's. */
export interface RebuildParts {
  start(workspaceId: number): Promise<void>
  /** If the workspace is marked rebuild_needed, clears the mark and starts its rebuild (core/rebuild.ts). */
  startIfNeeded(workspaceId: number): Promise<boolean>
  progress(workspaceId: number): Promise<RebuildProgress>
  /** Workspaces with a rebuild under way, by id. */
  pending(): Promise<number[]>
  /** One slice of the workspace's rebuild. */
  slice(workspaceId: number, budgetMs: number): Promise<RebuildProgress>
}

export interface DialectParts {
  workspaces: WorkspaceOptions
  rebuilds: RebuildParts
  commit: IngestStore['commit']
  deleteUser: UserStore['delete']
  copy: CopyHooks
  /** Called at once after every write of exchange rates, succeeded or not (SQLite: its caches start again). */
  fxRatesChanged?: () => void
}

export type SubStores = Pick<Store, (typeof SUB_STORES)[number]>

function rebuildStore(sql: Executor, parts: RebuildParts): RebuildStore {
  /** The workspace the last slice was for: slices take turns between workspaces. */
  let lastSliced = 0
  const store: RebuildStore = {
    start: (workspaceId) => parts.start(workspaceId),
    startNeeded: async () => {
      const started: number[] = []
      // One transaction per workspace: a long list never holds every workspace's lock at once.
      for (const ws of await sql.run(workspacesNeedingRebuild())) {
        if (await parts.startIfNeeded(ws)) started.push(ws)
      }
      return started
    },
    progress: (workspaceId) => parts.progress(workspaceId),
    slice: async (budgetMs, workspaceId) => {
      const pending = await parts.pending()
      const ws = workspaceId ?? nextInTurn(pending, lastSliced)
      if (ws === undefined || !pending.includes(ws)) return null
      lastSliced = ws
      return { workspaceId: ws, ...(await parts.slice(ws, budgetMs)) }
    },
    runToEnd: async (workspaceId) => {
      await store.start(workspaceId)
      return runRebuild(store, workspaceId)
    },
  }
  return store
}

export function composeSubStores(sql: Executor, parts: DialectParts): SubStores {
  return {
    workspaces: new CoreWorkspaces(sql, parts.workspaces),
    rebuilds: rebuildStore(sql, parts.rebuilds),
    ingest: { commit: parts.commit, listRejected: (ws, limit) => sql.run(listRejected(ws, limit)) },
    liveHistory: new CoreLiveHistory(sql),
    users: new CoreUsers(sql, parts.deleteUser),
    exports: new CoreExports(sql),
    metrics: new CoreMetricsReader(sql),
    spend: new CoreSpend(sql),
    fxRates: new CoreFxRates(sql, parts.fxRatesChanged),
    accounts: new CoreAccounts(sql),
    sessions: new CoreSessions(sql),
    members: new CoreMembers(sql),
    invitations: new CoreInvitations(sql),
    shareLinks: new CoreShareLinks(sql),
    copy: new CoreCopySupport(sql, parts.copy),
  }
}

/** The Store's sub-stores as fields, from composeSubStores; the connection's own methods are the dialect's. */
export abstract class ComposedStore implements Store {
  abstract readonly kind: Store['kind']
  declare readonly workspaces: Store['workspaces']
  declare readonly rebuilds: Store['rebuilds']
  declare readonly ingest: Store['ingest']
  declare readonly liveHistory: Store['liveHistory']
  declare readonly users: Store['users']
  declare readonly exports: Store['exports']
  declare readonly metrics: Store['metrics']
  declare readonly spend: Store['spend']
  declare readonly fxRates: Store['fxRates']
  declare readonly accounts: Store['accounts']
  declare readonly sessions: Store['sessions']
  declare readonly members: Store['members']
  declare readonly invitations: Store['invitations']
  declare readonly shareLinks: Store['shareLinks']
  declare readonly copy: Store['copy']

  protected constructor(subStores: SubStores) {
    Object.assign(this, subStores)
  }

  abstract close(): Promise<void>
  abstract ping(): Promise<void>
  abstract backup(destination: string): Promise<BackupResult>
}
