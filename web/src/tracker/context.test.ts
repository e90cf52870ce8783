// The tracker's pure parts: page context, campaign, the message context, page() arguments, UUIDs.
import { describe, expect, it } from 'vitest'
import { campaignOf, contextOf, LIBRARY_NAME, pageArgs, pageOf, uuid } from './context'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('the tracker context', () => {
  it('describes the page as Segment does, the URL without its hash', () => {
    expect(pageOf('https://shop.example/pricing?plan=pro#faq', 'https://google.com/', 'Pricing')).toEqual({
      path: '/pricing',
      referrer: 'https://google.com/',
      search: '?plan=pro',
      title: 'Pricing',
      url: 'https://shop.example/pricing?plan=pro',
    })
  })

  it('reads the campaign from the utm_ parameters, utm_campaign as its name, and none without them', () => {
    expect(
      campaignOf(
        '?utm_source=news&utm_medium=email&utm_campaign=Spring%20sale&utm_term=crm&utm_content=top&x=1',
      ),
    ).toEqual({ source: 'news', medium: 'email', name: 'Spring sale', term: 'crm', content: 'top' })
    expect(campaignOf('?utm_source=ads&utm_medium=')).toEqual({ source: 'ads' })
    expect(campaignOf('?ref=x')).toBeNull()
    expect(campaignOf('')).toBeNull()
  })

  it('builds the context: page, campaign, userAgent, library, locale, and the privacy flag only when signalled', () => {
    const state = {
      href: 'https://shop.example/?utm_source=news',
      referrer: '',
      title: 'Home',
      userAgent: 'UA',
      locale: 'fr-FR',
      privacySignal: false,
    }
    const context = contextOf(state)
    expect(context).toEqual({
      page: { path: '/', referrer: '', search: '?utm_source=news', title: 'Home', url: state.href },
      campaign: { source: 'news' },
      userAgent: 'UA',
      library: { name: LIBRARY_NAME, version: expect.stringMatching(/^\d+\.\d+\.\d+$/) },
      locale: 'fr-FR',
    })
    expect(contextOf({ ...state, href: 'https://shop.example/' })).not.toHaveProperty('campaign')
    expect(contextOf({ ...state, privacySignal: true })['privacy']).toEqual({ signal: true })
  })

  it('takes page(name?, properties?) as analytics.js does', () => {
    expect(pageArgs(undefined, undefined)).toEqual({ properties: {} })
    expect(pageArgs('Pricing', { plan: 'pro' })).toEqual({ name: 'Pricing', properties: { plan: 'pro' } })
    expect(pageArgs({ plan: 'pro' }, undefined)).toEqual({ properties: { plan: 'pro' } })
    expect(pageArgs(42, [1])).toEqual({ properties: {} })
  })

  it('makes version 4 UUIDs with randomUUID, getRandomValues, or neither', () => {
    expect(uuid({ randomUUID: () => '11111111-1111-4111-8111-111111111111' })).toBe(
      '11111111-1111-4111-8111-111111111111',
    )
    const fromBytes = uuid({ getRandomValues: <T extends ArrayBufferView | null>(a: T) => a })
    expect(fromBytes).toBe('00000000-0000-4000-8000-000000000000')
    const ids = new Set(Array.from({ length: 50 }, () => uuid(undefined)))
    expect(ids.size).toBe(50)
    for (const id of ids) expect(id).toMatch(UUID)
  })
})
