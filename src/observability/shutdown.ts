// Graceful shutdown on SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish, drain the
// group commit (an onClose hook of the server), close the store, exit 0; past the timeout, log and exit 1.
import type { FastifyInstance } from 'fastify'

export interface ShutdownOptions {
  app: FastifyInstance
  /** Closes the store; runs after the server has closed (requests answered, group commit drained). */
  closeStore: () => Promise<void>
  timeoutMs: number
  signals?: NodeJS.Signals[]
  exit?: (code: number) => void
}

/** Installs the signal handlers; returns the shutdown function (also usable without a signal). */
export function handleShutdownSignals(options: ShutdownOptions): (reason: string) => Promise<void> {
  const { app, closeStore, timeoutMs, signals = ['SIGTERM', 'SIGINT'] } = options
  const exit = options.exit ?? ((code: number) => process.exit(code))
  let stopping: Promise<void> | null = null

  const shutdown = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      const started = Date.now()
      app.log.info({ signal: reason, timeoutMs }, 'shutting down')
      const timer = setTimeout(() => {
        app.log.error(
          { signal: reason, timeoutMs },
          'shutdown timed out: requests or commits still in flight; exiting with code 1',
        )
        exit(1)
      }, timeoutMs)
      try {
        await app.close()
        await closeStore()
        clearTimeout(timer)
        app.log.info({ durationMs: Date.now() - started }, 'shut down')
        exit(0)
      } catch (error) {
        clearTimeout(timer)
        app.log.error({ err: error }, 'shutdown failed; exiting with code 1')
        exit(1)
      }
    })()
    return stopping
  }

  for (const signal of signals) {
    process.on(signal, () => {
      if (stopping === null) return void shutdown(signal)
      // A second signal (Ctrl-C twice): stop waiting.
      app.log.error({ signal }, 'second signal during shutdown; exiting with code 1')
      exit(1)
    })
  }
  return shutdown
}
