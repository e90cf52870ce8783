import { describe, expect, it } from 'vitest'
import { anonymousIds, canonicalId, previousIds, rolesOf, type IdentityRecord } from './identity.js'

const rec = (
  rawId: string,
  isUser: boolean,
  aliased = false,
  userSeen: number | null = null,
): IdentityRecord => ({
  rawId,
  isUser,
  aliased,
  userSeen,
})

describe('canonicalId', () => {
  it('is the end of an alias chain, whatever the order of records', () => {
    const records = [rec('c', true, false, 3), rec('a', true, true, 1), rec('b', true, true, 2)]
    expect(canonicalId(records)).toBe('c')
    expect(canonicalId([...records].reverse())).toBe('c')
    expect(previousIds(records, 'c').sort()).toEqual(['a', 'b'])
  })

  it('is null for an anonymous profile, and never an anonymous id', () => {
    expect(canonicalId([rec('anon', false)])).toBeNull()
    expect(canonicalId([rec('anon', false), rec('u', true, false, 5)])).toBe('u')
    expect(anonymousIds([rec('anon', false), rec('u', true, false, 5)])).toEqual(['anon'])
  })

  it('picks the most recently first-used userId when stitching joined two', () => {
    expect(canonicalId([rec('old', true, false, 1), rec('new', true, false, 9)])).toBe('new')
  })
})

describe('rolesOf', () => {
  it('names each id once, joining the meanings of an id named twice', () => {
    expect(rolesOf({ userId: 'u', anonymousId: 'a', previousId: 'a' })).toEqual([
      { id: 'u', isUser: true, aliased: false },
      { id: 'a', isUser: false, aliased: true },
    ])
    expect(rolesOf({ userId: 'u', anonymousId: 'u', previousId: 'u' })).toEqual([
      { id: 'u', isUser: true, aliased: false },
    ])
    expect(rolesOf({ userId: null, anonymousId: 'a', previousId: null })).toEqual([
      { id: 'a', isUser: false, aliased: false },
    ])
  })
})
