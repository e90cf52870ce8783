// Readiness: the store answers and its schema has every migration this build knows.
import { SCHEMA_VERSION } from '../store/core/migrations/index.js'
import type { Store } from '../store/types.js'

/** One schema history for both databases (src/store/core/migrations/). */
export function expectedSchemaVersion(_kind: Store['kind']): number {
  return SCHEMA_VERSION
}

export type Readiness =
  | { ready: true; schemaVersion: number }
  | {
      ready: false
      reason: 'shutting_down' | 'store_unreachable' | 'migrations_pending'
      /** Safe to answer to anyone. */
      message: string
      /** The store's error, for the log only (it may name hosts). */
      error?: unknown
    }

export async function readiness(store: Store, shuttingDown: boolean): Promise<Readiness> {
  if (shuttingDown) {
    return { ready: false, reason: 'shutting_down', message: 'The server is shutting down' }
  }
  let version: number
  try {
    await store.ping()
    version = await store.copy.schemaVersion()
  } catch (error) {
    return { ready: false, reason: 'store_unreachable', message: 'The store does not answer', error }
  }
  const expected = expectedSchemaVersion(store.kind)
  if (version < expected) {
    return {
      ready: false,
      reason: 'migrations_pending',
      message: `The schema is at version ${version}; this build needs ${expected} (run tractionboard migrate)`,
    }
  }
  return { ready: true, schemaVersion: version }
}
