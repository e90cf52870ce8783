// The `before` cursor of GET /api/v1/live/history: opaque to clients (base64url), exact for the store.
import type { LiveHistoryCursor } from '../store/types.js'

const SOURCE_LETTER = { event: 'e', rejected: 'r' } as const

export function encodeLiveCursor(cursor: LiveHistoryCursor): string {
  const text = `${cursor.receivedAt}:${SOURCE_LETTER[cursor.source]}:${cursor.key}`
  return Buffer.from(text, 'utf8').toString('base64url')
}

/** The cursor a page answered, or null for anything else. */
export function decodeLiveCursor(value: string): LiveHistoryCursor | null {
  if (!/^[A-Za-z0-9_-]+$/.test(value)) return null
  const parts = /^(-?\d{1,16}):([er]):(.+)$/s.exec(Buffer.from(value, 'base64url').toString('utf8'))
  if (parts === null) return null
  const receivedAt = Number(parts[1])
  const key = parts[3]!
  if (!Number.isSafeInteger(receivedAt)) return null
  if (parts[2] === 'r') {
    return /^\d{1,15}$/.test(key) ? { receivedAt, source: 'rejected', key } : null
  }
  return { receivedAt, source: 'event', key }
}
