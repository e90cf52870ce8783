// Token ID → workspace, cached briefly so that a busy source costs no store round trip per request.
import { TbError } from '../errors.js'
import type { Store, Workspace } from '../store/types.js'

const TTL_MS = 5_000
const MAX_ENTRIES = 10_000

export class WorkspaceResolver {
  private readonly cache = new Map<string, { workspace: Workspace; until: number }>()

  constructor(private readonly store: Store) {}

  /** The workspace of the first valid token among the candidates. */
  async byTokens(tokens: string[]): Promise<Workspace> {
    if (tokens.length === 0) throw new TbError('missing_token')
    for (const token of tokens) {
      const workspace = await this.byToken(token)
      if (workspace !== null) return workspace
    }
    throw new TbError('invalid_token')
  }

  private async byToken(token: string): Promise<Workspace | null> {
    const now = Date.now()
    const hit = this.cache.get(token)
    if (hit !== undefined && hit.until > now) return hit.workspace
    const id = await this.store.resolveToken('write', token)
    const workspace = id === null ? null : await this.store.getWorkspace(id)
    if (workspace === null) return null
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear()
    this.cache.set(token, { workspace, until: now + TTL_MS })
    return workspace
  }
}
