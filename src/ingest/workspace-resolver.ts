// Token ID → workspace. The token's hash lookup is cached briefly (a busy source then costs one cheap
// read per request); the workspace itself is read fresh, so a new signing secret or mapping applies at once.
// A Token ID stored only as a hash (created before migration 9) is made showable the first time it
// authenticates here: one write, not awaited, and only when the looked-up row lacks its clear text.
import { TbError } from '../errors.js'
import type { Store, Workspace } from '../store/types.js'

/** The sub-stores the resolver reads. */
type Stores = Pick<Store, 'workspaces'>

const TTL_MS = 5_000
const MAX_ENTRIES = 10_000

export class WorkspaceResolver {
  private readonly cache = new Map<string, { workspaceId: number; until: number }>()

  /** `onError`: a failed write of a Token ID's clear text (it is tried again at a later lookup). */
  constructor(
    private readonly store: Stores,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /** The workspace of the first valid token among the candidates. */
  async byTokens(tokens: string[]): Promise<Workspace> {
    if (tokens.length === 0) throw new TbError('missing_token')
    const workspace = await this.find(tokens)
    if (workspace === null) throw new TbError('invalid_token')
    return workspace
  }

  /** The workspace of the first valid token among the candidates, or null if none is valid. */
  async find(tokens: string[]): Promise<Workspace | null> {
    for (const token of tokens) {
      const workspace = await this.byToken(token)
      if (workspace !== null) return workspace
    }
    return null
  }

  private async byToken(token: string): Promise<Workspace | null> {
    const now = Date.now()
    const hit = this.cache.get(token)
    const id = hit !== undefined && hit.until > now ? hit.workspaceId : await this.lookUp(token)
    if (id === null) return null
    if (hit === undefined || hit.until <= now) {
      if (this.cache.size >= MAX_ENTRIES) this.cache.clear()
      this.cache.set(token, { workspaceId: id, until: now + TTL_MS })
    }
    return this.store.workspaces.get(id)
  }

  private async lookUp(token: string): Promise<number | null> {
    const match = await this.store.workspaces.findWriteToken(token)
    if (match === null) return null
    // Off the request's path: the event is accepted whether or not this write succeeds.
    if (!match.showable) this.store.workspaces.keepTokenShowable(token).catch(this.onError)
    return match.workspaceId
  }
}
