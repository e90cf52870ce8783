// Exchange-rate tables of the PostgreSQL ingest pass, kept between passes. A workspace's rates can be many
// (the ECB history is about 200,000 rates), too many to read per pass. Every change of the rates (and of the
// currency) starts a rebuild, which moves the workspace to a new generation (core/rebuild.ts), and the pass
// reads the generation under the workspace's lock anyway: a table cached for (workspace, generation) is the
// current one, whichever process changed the rates.
import type pg from 'pg'
import type { FxTable } from '../../model/fx.js'
import { RecentMap } from '../../model/recent-map.js'
import { fxTableOf } from '../core/fx-rates.js'
import { runOn } from './executor.js'

export class FxCache {
  private readonly tables = new RecentMap<string, FxTable>(64)

  async of(db: pg.PoolClient, ws: number, generation: number, currency: string): Promise<FxTable> {
    const key = `${ws}|${generation}|${currency}`
    let table = this.tables.get(key)
    if (table === undefined) {
      table = await runOn(db, fxTableOf(ws, currency))
      this.tables.set(key, table)
    }
    return table
  }
}
