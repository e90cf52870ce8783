// The dashboard's definitions agree with docs/metrics.md as the app serves it: every metric key and every other
// term of the tables links to an anchor that exists on /docs/metrics, and every key has a one-line definition.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { METRIC_KEYS } from '../../../src/metrics/keys'
import { renderMarkdown } from '../../../src/docs/markdown'
import { TERMS, docsHref, explainMetric, nullReason } from './MetricsCatalog'

// The same Markdown and renderer as the server's /docs/metrics (src/docs/metrics-page.ts).
const page = renderMarkdown(readFileSync(new URL('../../../docs/metrics.md', import.meta.url), 'utf8'))
const anchors = new Set([...page.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]))

describe('MetricsCatalog against /docs/metrics', () => {
  it('explains every metric key in one line, linking to its own anchor', () => {
    for (const key of METRIC_KEYS) {
      const e = explainMetric(key)
      expect(e, key).toBeDefined()
      expect(e!.definition, key).toMatch(/^[^\n]{8,200}$/)
      expect(anchors.has(e!.anchor), `${key} → #${e!.anchor}`).toBe(true)
      expect(docsHref(e!.anchor)).toBe(`/docs/metrics#${key}`)
    }
  })

  it('links every other term of the tables to a section that exists', () => {
    for (const [term, e] of Object.entries(TERMS))
      expect(anchors.has(e.anchor), `${term} → #${e.anchor}`).toBe(true)
  })

  it('says why a ratio is null, in words', () => {
    expect(nullReason('churn_rate')).toBe('no customers at the start of the period')
    expect(nullReason('ltv')).toMatch(/^LTV needs the Month interval/)
  })
})
