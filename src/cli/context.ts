// What every command needs: the configuration and an open store, its arguments read and checked.
import { readFileSync } from 'node:fs'
import { loadConfig, type Config } from '../config.js'
import { openStore } from '../store/open-store.js'
import type { Store } from '../store/types.js'
import { CliError } from './cli-error.js'

export async function withStore<T>(run: (store: Store, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig()
  const store = await openStore(config)
  try {
    return await run(store, config)
  } finally {
    await store.close()
  }
}

export function parseWorkspaceId(value: string): number {
  const id = Number(value)
  if (!Number.isSafeInteger(id) || id < 1)
    throw new CliError(`"${value}" is not a workspace id (a positive integer)`)
  return id
}

/** A text file a command was given, or a CLI error naming it. */
export function readTextFile(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    throw new CliError(`Cannot read ${file}: ${(error as Error).message}`)
  }
}
