// Picks the store from DATABASE_URL.
import type { Config } from '../config.js'
import { SqliteStore } from './sqlite/sqlite-store.js'
import type { Store } from './types.js'

export function sqlitePath(databaseUrl: string): string {
  const path = databaseUrl.replace(/^sqlite:(\/\/)?/, '')
  return path === '' ? ':memory:' : path
}

export async function openStore(config: Pick<Config, 'databaseUrl' | 'sqliteSynchronous'>): Promise<Store> {
  if (config.databaseUrl.startsWith('sqlite:')) {
    return new SqliteStore({ path: sqlitePath(config.databaseUrl), synchronous: config.sqliteSynchronous })
  }
  throw new Error('PostgreSQL support is not built yet: use a sqlite: DATABASE_URL')
}
