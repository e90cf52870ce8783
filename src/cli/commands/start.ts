// `tractionboard start`: the server. On an empty database it creates a first workspace and prints its Token ID.
// It stops gracefully on SIGTERM/SIGINT (src/observability/shutdown.ts).
import { setFlagsFromString } from 'node:v8'
import { Command } from 'commander'
import { loadConfig } from '../../config.js'
import { handleShutdownSignals } from '../../observability/shutdown.js'
import { buildServer } from '../../server.js'
import { openStore } from '../../store/open-store.js'

export function startCommand(): Command {
  return new Command('start').description('Run the Tractionboard server').action(async () => {
    const config = loadConfig()
    limitHeapGrowth(config.heapGrowthPercent)
    const store = await openStore(config)
    for (const line of store.setUp ?? []) console.log(`Citus: ${line}`)
    const workspaces = await store.workspaces.list()
    const created =
      workspaces.length === 0
        ? await store.workspaces.create({ name: 'My Startup', timezone: 'UTC', currency: 'USD' })
        : null
    const app = await buildServer({ config, store })
    // SIGTERM/SIGINT: stop accepting, finish in-flight requests, drain the group commit, close the store, exit 0;
    // after SHUTDOWN_TIMEOUT_MS, log and exit 1. Installed before anything is printed, so a supervisor that
    // signals as soon as it sees the URL never meets the default (immediate) exit.
    handleShutdownSignals({ app, closeStore: () => store.close(), timeoutMs: config.shutdownTimeoutMs })
    const address = await app.listen({ port: config.port, host: config.host })
    const url = config.publicUrl ?? address.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost')
    console.log(`Tractionboard is running: ${url}`)
    if (created !== null) {
      console.log(`Created workspace ${created.id} "${created.name}".`)
      console.log(
        `  Token ID (Segment > Tractionboard destination, or your library's write key): ${created.token}`,
      )
      console.log(`  api_key (read API, Authorization: Bearer): ${created.apiKey}`)
      console.log(
        '  The api_key is shown only now: keep it somewhere safe. The Token ID is also under Settings > Integrations.',
      )
    } else {
      console.log(`Workspaces: ${workspaces.map((w) => `${w.id} "${w.name}"`).join(', ')}`)
      console.log('Lost a Token ID? tractionboard workspace rotate-token ID prints a new one.')
    }
  })
}

/**
 * Left to itself, V8 lets the heap of a server under steady ingestion grow to three or four times what is live
 * before collecting it (a peak RSS of 360–390 MB while loading 1 M events, with about 60 MB live). A fixed
 * growth factor of 2 (100 %) keeps it at 250–270 MB for the same throughput, within the runs' noise; 50 % gives
 * 220–245 MB for 5 % less (docs/performance.md). V8 reads the flag each time it sets the next collection's
 * limit, so setting it now, before the load, takes effect.
 */
function limitHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`)
}
