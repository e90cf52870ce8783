import { describe, expect, it } from 'vitest'
import { sameSettings } from './replay.js'
import { DEFAULT_EVENT_MAPPING } from './types.js'

describe('sameSettings', () => {
  const settings = { timezone: 'Europe/Paris', currency: 'EUR', eventMapping: DEFAULT_EVENT_MAPPING }

  it('compares only what translation reads, so a whole workspace equals its settings', () => {
    const workspace = { ...settings, id: 3, name: 'W', signingSecret: null, createdAt: 1 }
    expect(sameSettings(workspace, settings)).toBe(true)
    expect(
      sameSettings(settings, { ...settings, eventMapping: structuredClone(DEFAULT_EVENT_MAPPING) }),
    ).toBe(true)
  })

  it('tells a changed time zone, currency or event mapping', () => {
    expect(sameSettings(settings, { ...settings, timezone: 'UTC' })).toBe(false)
    expect(sameSettings(settings, { ...settings, currency: 'USD' })).toBe(false)
    const mapping = { ...DEFAULT_EVENT_MAPPING, signup: ['Signed Up'] }
    expect(sameSettings(settings, { ...settings, eventMapping: mapping })).toBe(false)
  })
})
