// `npm run test:stress`: the heavy reliability runs (many SIGKILLs, long retry storms, big fuzz runs), which
// `npm test` leaves out. They run the built server (dist/): build first (`npm test` or `npm run build`).
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/reliability/**/*.stress.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One at a time: each file measures its own server's memory and timing.
    fileParallelism: false,
  },
})
