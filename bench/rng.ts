// Deterministic pseudo-randomness: the same seed gives the same workspace and the same payloads on every run.

export { mulberry32 as rng } from '../src/demo/random.js'

/** A stable hash of integers to [0, 1): per-user properties without storing them. */
export function hash01(...values: number[]): number {
  let h = 0x811c9dc5
  for (const v of values) {
    h = Math.imul(h ^ (v & 0xffff), 0x01000193)
    h = Math.imul(h ^ (v >>> 16), 0x01000193)
  }
  h ^= h >>> 13
  h = Math.imul(h, 0x5bd1e995)
  h ^= h >>> 15
  return (h >>> 0) / 4294967296
}

export function pick<T>(items: readonly T[], r: number): T {
  return items[Math.min(items.length - 1, Math.floor(r * items.length))]!
}

/** 2^32 · r as 8 hex digits. */
export function hex8(r: number): string {
  return Math.floor(r * 4294967296)
    .toString(16)
    .padStart(8, '0')
}
