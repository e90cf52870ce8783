// Builds the browser tracker (web/src/tracker/tractionboard.ts) into dist/tracker/tractionboard.js: a small
// ES2017 IIFE with no dependencies, which the server serves at GET /tractionboard.js
// (src/ingest/tracker-script.ts). Run by `npm run build:tracker` (and by the tests that need it).
import { build } from 'esbuild'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))

await build({
  absWorkingDir: root,
  entryPoints: ['web/src/tracker/tractionboard.ts'],
  outfile: 'dist/tracker/tractionboard.js',
  bundle: true,
  format: 'iife',
  target: 'es2017',
  platform: 'browser',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
})
