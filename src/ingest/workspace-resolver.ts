// Token ID → workspace. The token's hash lookup is cached briefly (a busy source then costs one cheap
// read per request); the workspace itself is read fresh, so a new signing secret or mapping applies at once.
import { TbError } from '../errors.js'
import type { Store, Workspace } from '../store/types.js'

/** The sub-stores the resolver reads. */
type Stores = Pick<Store, 'workspaces'>

const TTL_MS = 5_000
const MAX_ENTRIES = 10_000

export class WorkspaceResolver {
  private readonly cache = new Map<string, { workspaceId: number; until: number }>()

  constructor(private readonly store: Stores) {}

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
    const id =
      hit !== undefined && hit.until > now
        ? hit.workspaceId
        : await this.store.workspaces.resolveToken('write', token)
    if (id === null) return null
    if (hit === undefined || hit.until <= now) {
      if (this.cache.size >= MAX_ENTRIES) this.cache.clear()
      this.cache.set(token, { workspaceId: id, until: now + TTL_MS })
    }
    return this.store.workspaces.get(id)
  }
}
