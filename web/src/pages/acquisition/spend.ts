// What the Acquisition page's spend table, form and CSV import share: the entry types and how an entry is named.
import type { SpendEntry } from '../../api-types'
import type { SpendInput } from '../../api/queries/spend'

export type { SpendEntry, SpendInput }

export const spendLabel = (s: Pick<SpendEntry, 'date' | 'channel'>) =>
  `${s.date} ${s.channel ?? 'unattributed'}`
