// The demo's people: a name and a work email for each user who signs up, so the Users page reads like a real
// company's customer list. Deterministic: the names follow the story's random draws; emails never repeat.

const FIRST = [
  'Ada',
  'Amara',
  'Ben',
  'Carmen',
  'Chen',
  'Dara',
  'Elena',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kofi',
  'Lena',
  'Mateo',
  'Nadia',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sami',
  'Tomas',
  'Uma',
  'Viktor',
  'Wen',
  'Yara',
  'Zoe',
  'Lucas',
  'Maya',
  'Noah',
] as const

const LAST = [
  'Adeyemi',
  'Berg',
  'Costa',
  'Dubois',
  'Eriksen',
  'Fischer',
  'García',
  'Haddad',
  'Ivanova',
  'Jensen',
  'Kim',
  'Lindqvist',
  'Moreau',
  'Nakamura',
  'Okafor',
  'Petrov',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Usman',
  'Varga',
  'Wong',
  'Yilmaz',
  'Novak',
  'Silva',
  'Patel',
] as const

/** Small companies' domains: several people of one company sign up. */
const COMPANIES = [
  'northwind',
  'brightpath',
  'lumen-labs',
  'kestrel',
  'pinecone-studio',
  'orbital',
  'fieldnote',
  'harbor-hq',
  'copperleaf',
  'tidewater',
  'quillstack',
  'sundial',
  'redwood-ops',
  'bluefin',
  'meridian-io',
  'atlasworks',
] as const

export interface DemoPerson {
  name: string
  email: string
}

/** A maker of people drawing from `rand`; each email it gives is new. */
export function peopleFrom(rand: () => number): () => DemoPerson {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!
  const taken = new Set<string>()
  return () => {
    const first = pick(FIRST)
    const last = pick(LAST)
    const local = `${first}.${last}`
      .toLowerCase()
      .normalize('NFD')
      .replace(/[^a-z.]/g, '')
    const domain = `${pick(COMPANIES)}.example`
    let email = `${local}@${domain}`
    for (let n = 2; taken.has(email); n++) email = `${local}${n}@${domain}`
    taken.add(email)
    return { name: `${first} ${last}`, email }
  }
}
