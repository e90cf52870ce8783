// The one way tests build a Config: loadConfig over test defaults and the test's own settings, so every
// setting is validated and defaulted exactly as in production (src/config.ts), never from process.env.
import { loadConfig, type Config } from '../../src/config.js'

/** Quiet, in memory, on a free port; LOGIN_RATE_LIMIT high enough for tests that log in many times. */
export const TEST_ENV: Readonly<Record<string, string>> = {
  DATABASE_URL: 'sqlite::memory:',
  LOG_LEVEL: 'silent',
  PORT: '0',
}

/** A full Config: `env` (environment variables, as strings) over TEST_ENV over the production defaults. */
export function testConfig(env: Record<string, string | undefined> = {}): Config {
  return loadConfig({ ...TEST_ENV, ...env })
}
