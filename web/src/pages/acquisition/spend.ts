// What the Acquisition page's spend table, form and CSV import share: the entry types and how an entry is named.
import type { SpendEntry } from '../../api-types'

export type { SpendEntry }

/** What the API takes to create an entry. */
export type SpendInput = Pick<SpendEntry, 'date' | 'channel' | 'note'> & { amount: number | string }

export const spendLabel = (s: Pick<SpendEntry, 'date' | 'channel'>) =>
  `${s.date} ${s.channel ?? 'unattributed'}`
