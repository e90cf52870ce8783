// A cost per signup or customer over a period without any spend entry is not "$0.00", which reads as free
// acquisition: it is unknown. UAC and CAC show an em dash saying "no spend recorded" there instead.

export const NO_SPEND = 'no spend recorded'

/** The cost keys that divide acquisition spend. */
const COSTS = ['uac', 'cac'] as const

/**
 * The values with UAC and CAC null where acquisition spend is 0, and the reason for each. Values without
 * `acquisition_spend` are returned as they are (nothing says whether spend was recorded).
 */
export function withoutSpendCosts<T extends object>(
  values: T,
  over: 'in this period' | 'in the range',
): { values: T; whenNull: Record<string, string> } {
  const v = values as Record<string, unknown>
  if (v['acquisition_spend'] !== 0) return { values, whenNull: {} }
  const costs = Object.fromEntries(COSTS.filter((k) => k in v).map((k) => [k, null]))
  return {
    values: { ...values, ...costs },
    whenNull: Object.fromEntries(Object.keys(costs).map((k) => [k, `${NO_SPEND} ${over}`])),
  }
}
