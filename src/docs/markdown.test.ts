// The Markdown subset of the docs pages: what docs/metrics.md uses renders as HTML, and nothing in a document can
// inject markup or a script address.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { METRIC_KEYS } from '../metrics/keys.js'
import { METRICS_DOC, metricsDocsPage } from './metrics-page.js'
import { escapeHtml, inline, renderMarkdown, slug } from './markdown.js'

describe('renderMarkdown', () => {
  it('renders headings with stable ids, a second of the same name suffixed', () => {
    expect(
      renderMarkdown('# Metrics\n\n## Channels and UAC\n\n### Worked example: a month\n\n## Time\n\n## Time'),
    ).toBe(
      [
        '<h1 id="metrics">Metrics</h1>',
        '<h2 id="channels-and-uac">Channels and UAC</h2>',
        '<h3 id="worked-example-a-month">Worked example: a month</h3>',
        '<h2 id="time">Time</h2>',
        '<h2 id="time-1">Time</h2>',
      ].join('\n'),
    )
  })

  it('joins a paragraph’s lines and renders code, bold, italics and links inline', () => {
    expect(
      renderMarkdown('A **day** is a _local_ date\nof `timezone`, see [the API](docs/api.md#time).'),
    ).toBe(
      '<p>A <strong>day</strong> is a <em>local</em> date of <code>timezone</code>, see <a href="docs/api.md#time">the API</a>.</p>',
    )
  })

  it('leaves snake_case words and underscores in code alone', () => {
    expect(inline('per user_days and `customers_at_start` _now_')).toBe(
      'per user_days and <code>customers_at_start</code> <em>now</em>',
    )
  })

  it('renders bullet and numbered lists, with lazy continuation lines', () => {
    expect(renderMarkdown('- first item\n  goes on\nand on;\n- second\n\n1. one\n2. two')).toBe(
      '<ul><li>first item goes on and on;</li><li>second</li></ul>\n<ol><li>one</li><li>two</li></ol>',
    )
  })

  it('renders a pipe table, pipes inside code kept, and anchors each key heading a row once', () => {
    const html = renderMarkdown(
      [
        '| key | definition |',
        '| --- | ---------- |',
        '| `churn_rate` | `a | b` ÷ customers |',
        '| `new_mrr`, `expansion_mrr` | movements |',
        '| `a = 0 < b` | not an identifier |',
        '| `churn_rate` | a second row of the same key gets no id |',
      ].join('\n'),
    )
    expect(html).toBe(
      '<div class="table" tabindex="0"><table><thead><tr><th>key</th><th>definition</th></tr></thead><tbody>' +
        '<tr><td><code id="churn_rate">churn_rate</code></td><td><code>a | b</code> ÷ customers</td></tr>' +
        '<tr><td><code id="new_mrr">new_mrr</code>, <code id="expansion_mrr">expansion_mrr</code></td><td>movements</td></tr>' +
        '<tr><td><code>a = 0 &lt; b</code></td><td>not an identifier</td></tr>' +
        '<tr><td><code>churn_rate</code></td><td>a second row of the same key gets no id</td></tr>' +
        '</tbody></table></div>',
    )
  })

  it('renders fenced code escaped, with its language as a class', () => {
    expect(renderMarkdown('```sh\ncurl -H "x" \'a&b\' <in\n```')).toBe(
      '<pre><code class="language-sh">curl -H &quot;x&quot; &#39;a&amp;b&#39; &lt;in</code></pre>',
    )
  })

  it('escapes HTML everywhere: text, headings, cells, code, link text', () => {
    const html = renderMarkdown(
      '# <script>alert(1)</script>\n\n<img src=x onerror=alert(1)> **<b>**\n\n| <i>x</i> |\n| --- |\n| `<svg onload=alert(1)>` |\n\n[<em>click</em>](/x)',
    )
    expect(html).not.toMatch(/<(script|img|b|i|svg)[\s>]/)
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(html).toContain('<code>&lt;svg onload=alert(1)&gt;</code>')
    expect(html).toContain('<a href="/x">&lt;em&gt;click&lt;/em&gt;</a>')
  })

  it('keeps only http(s), relative and #anchor links; javascript: and data: stay text', () => {
    expect(inline('[a](https://example.com/x?y=1&z=2) [b](#time) [c](/docs/metrics)')).toBe(
      '<a href="https://example.com/x?y=1&amp;z=2">a</a> <a href="#time">b</a> <a href="/docs/metrics">c</a>',
    )
    for (const url of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,x',
      '\u0001javascript:alert(1)',
    ]) {
      expect(inline(`[x](${url})`)).not.toContain('<a')
    }
    expect(inline('[x](/a"onmouseover="alert(1))')).toBe('<a href="/a&quot;onmouseover=&quot;alert(1">x</a>)')
  })

  it('slugs as GitHub does for ASCII headings', () => {
    expect(slug('Compared with ChartMogul, Baremetrics and Stripe')).toBe(
      'compared-with-chartmogul-baremetrics-and-stripe',
    )
    expect(slug('`mrr` and its movements')).toBe('mrr-and-its-movements')
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;')
  })
})

describe('docs/metrics.md as the page /docs/metrics', () => {
  const page = metricsDocsPage(readFileSync(METRICS_DOC, 'utf8'))

  it('has an anchor for every metric key, and for the sections the dashboard links to', () => {
    for (const key of METRIC_KEYS) expect(page, key).toContain(`id="${key}"`)
    for (const section of ['time', 'channels-and-uac', 'funnel-and-cohorts', 'currencies'])
      expect(page).toContain(`id="${section}"`)
  })

  it('is a whole HTML page with a title and no raw Markdown tables left', () => {
    expect(page).toMatch(/^<!doctype html>/)
    expect(page).toContain('<title>Metrics · Tractionboard</title>')
    expect(page).not.toMatch(/^\|/m)
  })
})
