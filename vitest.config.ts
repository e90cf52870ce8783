import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    // The heavy reliability runs (many kills, long retry storms, big fuzz runs): npm run test:stress.
    exclude: ['**/node_modules/**', '**/*.stress.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
})
