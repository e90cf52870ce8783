import { describe, expect, it } from 'vitest'
import { nestedDeeperThan } from './traits.js'

/** `levels` objects and arrays, alternating, one inside the other. */
function nested(levels: number): unknown {
  let value: unknown = 'leaf'
  for (let i = 0; i < levels; i++) value = i % 2 === 0 ? [value] : { k: value }
  return value
}

describe('nestedDeeperThan', () => {
  it('counts objects and arrays, not scalars', () => {
    expect(nestedDeeperThan('x', 0)).toBe(false)
    expect(nestedDeeperThan(null, 0)).toBe(false)
    expect(nestedDeeperThan({}, 0)).toBe(true)
    expect(nestedDeeperThan({}, 1)).toBe(false)
    expect(nestedDeeperThan({ a: 1, b: [2, { c: 3 }] }, 2)).toBe(true)
    expect(nestedDeeperThan({ a: 1, b: [2, { c: 3 }] }, 3)).toBe(false)
  })

  it('finds the deep branch among shallow ones, including under "__proto__"', () => {
    const value = JSON.parse('{"a":{},"b":[1,2,3],"__proto__":{"x":[[[]]]}}')
    expect(nestedDeeperThan(value, 4)).toBe(true)
    expect(nestedDeeperThan(value, 5)).toBe(false)
  })

  it('is exact at the limit and safe far beyond it', () => {
    expect(nestedDeeperThan(nested(100), 100)).toBe(false)
    expect(nestedDeeperThan(nested(101), 100)).toBe(true)
    expect(nestedDeeperThan(JSON.parse('['.repeat(200_000) + ']'.repeat(200_000)), 100)).toBe(true)
  })
})
