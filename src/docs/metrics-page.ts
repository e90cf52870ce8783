// GET /docs/metrics: docs/metrics.md rendered as an HTML page, so the dashboard's definitions (KPI cards, column
// headers) link to the metric's own section (#churn_rate, #channels-and-uac). Public: it is the project's
// documentation, no workspace's data. Rendered once, at the first request, from the file beside the build.
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance, FastifySchema } from 'fastify'
import { content } from '../api/openapi-schema.js'
import { escapeHtml, renderMarkdown } from './markdown.js'

/** docs/metrics.md from both src/docs (tests) and dist/docs (built): each sits two levels below the root. */
export const METRICS_DOC = fileURLToPath(new URL('../../docs/metrics.md', import.meta.url))

const STYLE = `
body { margin: 0; font: 15px/1.55 system-ui, sans-serif; color: #1f2430; background: #f6f7fb; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem 1.25rem 4rem; }
nav { max-width: 60rem; margin: 0 auto; padding: 1rem 1.25rem 0; }
a { color: #4338ca; }
code { font-size: 0.9em; background: #eceef5; padding: 0.05em 0.3em; border-radius: 4px; }
pre { overflow-x: auto; background: #eceef5; padding: 0.75rem; border-radius: 6px; }
pre code { background: none; padding: 0; }
.table { overflow-x: auto; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; background: #fff; }
th, td { border: 1px solid #e3e6ee; padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; }
:target { scroll-margin-top: 1rem; }
tr:has(:target) td, h2:target, h3:target { background: #fef3c7; }
`

export function metricsDocsPage(markdown: string): string {
  const title = /^#\s+(.*)$/m.exec(markdown)?.[1] ?? 'Metrics'
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Tractionboard</title>
<style>${STYLE}</style>
</head>
<body>
<nav aria-label="Back"><a href="/">← Back to the dashboard</a></nav>
<main>
${renderMarkdown(markdown)}
</main>
</body>
</html>
`
}

const SCHEMA: FastifySchema = {
  summary: 'The metrics documentation as a page',
  description:
    'docs/metrics.md rendered as HTML, each metric key an anchor (`/docs/metrics#churn_rate`): where the ' +
    'dashboard links its definitions. No authentication.',
  tags: ['Documentation'],
  security: [],
  response: { 200: content('The page', { 'text/html': { type: 'string' } }) },
}

export function metricsDocsRoute(app: FastifyInstance, file: string = METRICS_DOC): void {
  let page: Promise<string> | null = null
  app.get('/docs/metrics', { schema: SCHEMA }, async (_request, reply) => {
    // A failed read is not kept: the next request tries again.
    page ??= readFile(file, 'utf8')
      .then(metricsDocsPage)
      .catch((error: unknown) => {
        page = null
        throw error
      })
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(await page)
  })
}
