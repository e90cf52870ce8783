// The `integrations` object: which destinations a message is for. Tractionboard's catalog name is "Tractionboard".
import { isPlainObject } from '../model/traits.js'

export const DESTINATION_NAME = 'Tractionboard'

/** False when the sender turned Tractionboard off: `Tractionboard: false`, or `All: false` without a truthy `Tractionboard`. */
export function isForTractionboard(integrations: unknown): boolean {
  if (!isPlainObject(integrations)) return true
  const own = integrations[DESTINATION_NAME]
  if (own === false) return false
  if (own !== undefined && own !== null) return Boolean(own) || isPlainObject(own)
  return integrations['All'] !== false
}
