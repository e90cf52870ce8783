// axe-core's serious and critical violations on a page as it is now (the context must bypass the dashboard's CSP,
// which allows only its own scripts), as lines a reader can act on.
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js')

export async function seriousViolations(page: Page): Promise<string[]> {
  if ((await page.evaluate<boolean>('typeof axe === "undefined"')) === true)
    await page.addScriptTag({ path: AXE })
  return page.evaluate<string[]>(`axe
    .run(document, { resultTypes: ['violations'] })
    .then((r) => r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id + ': ' + v.help + ' at ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')))`)
}
