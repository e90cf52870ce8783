// Where @segment/analytics-next's browser builds are: its dist/umd folder in node_modules (the package is a
// pinned dependency; its files are read from there, never copied into this repository).
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)

/** node_modules/@segment/analytics-next/dist/umd, with a trailing separator. */
export const BUNDLE_DIR = join(dirname(require.resolve('@segment/analytics-next/package.json')), 'dist/umd/')

/** The package's version, named in the script's first line. */
export const BUNDLE_VERSION = (require('@segment/analytics-next/package.json') as { version: string }).version
