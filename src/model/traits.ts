// Segment's reserved traits may arrive in snake_case; Tractionboard stores them under Segment's camelCase names.
import type { JsonObject } from './types.js'

const RESERVED_SNAKE_TO_CAMEL: Record<string, string> = {
  first_name: 'firstName',
  last_name: 'lastName',
  created_at: 'createdAt',
}

const ADDRESS_SNAKE_TO_CAMEL: Record<string, string> = { postal_code: 'postalCode' }

/** Sets an own property even for keys like "__proto__", which plain assignment would treat as the prototype. */
export function setOwn(target: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Whether objects and arrays nest more than `limit` levels inside `value` (a scalar is level 0, `{}` level 1).
 * Recurses at most `limit` + 1 calls deep, so it is safe on any input.
 */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false
  if (limit <= 0) return true
  if (Array.isArray(value)) {
    for (const child of value) if (nestedDeeperThan(child, limit - 1)) return true
    return false
  }
  // for…in rather than Object.values: no array per object on this path every event takes.
  for (const key in value) {
    if (nestedDeeperThan((value as JsonObject)[key], limit - 1)) return true
  }
  return false
}

function renameKeys(source: JsonObject, names: Record<string, string>): JsonObject {
  const out: JsonObject = {}
  for (const [key, value] of Object.entries(source)) {
    const camel = Object.hasOwn(names, key) ? names[key] : undefined
    // An explicit camelCase value wins over its snake_case twin.
    if (camel !== undefined && camel in source) continue
    setOwn(out, camel ?? key, value)
  }
  return out
}

/** Normalises identify/group traits: reserved snake_case names to camelCase; `name` filled from first/last. */
export function normalizeTraits(traits: JsonObject): JsonObject {
  const out = renameKeys(traits, RESERVED_SNAKE_TO_CAMEL)
  const address = out['address']
  if (isPlainObject(address)) out['address'] = renameKeys(address, ADDRESS_SNAKE_TO_CAMEL)
  if (
    out['name'] === undefined &&
    (typeof out['firstName'] === 'string' || typeof out['lastName'] === 'string')
  ) {
    const full = [out['firstName'], out['lastName']]
      .filter((s) => typeof s === 'string' && s !== '')
      .join(' ')
    if (full !== '') out['name'] = full
  }
  return out
}
