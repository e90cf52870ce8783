// Picks the store from DATABASE_URL.
import type { Config } from '../config.js'
import { openPgStore } from './postgres/pg-store.js'
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
  if (/^postgres(ql)?:\/\//.test(config.databaseUrl)) {
    // Connects and applies pending migrations under an advisory lock, so nodes starting together don't race.
    return openPgStore(config.databaseUrl)
  }
  throw new Error('DATABASE_URL must start with sqlite: or postgres://')
}
