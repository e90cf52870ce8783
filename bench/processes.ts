// Child processes: every measured party runs in its own process — the Tractionboard server as in production
// (`node dist/cli/main.js start`), the baselines, and the load generators.
import { fork, spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url))
export const ROOT = join(BENCH_DIR, '..')

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })
}

/** Runs `bench/<file>` in a child process (TypeScript through tsx), hands it `input`, resolves with its result. */
export function runChild<T>(file: string, input: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(join(BENCH_DIR, file), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' })
    let settled = false
    child.once('message', (message: { result?: T; error?: string }) => {
      settled = true
      if (message.error !== undefined) reject(new Error(`${file}: ${message.error}`))
      else resolve(message.result as T)
    })
    child.once('exit', (code) => {
      if (!settled) reject(new Error(`${file} exited with code ${code} before answering`))
    })
    child.send(input as object)
  })
}

/** True in the module a process was started with (a child task's entry point). */
export function isMain(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === moduleUrl
}

/** The child side of runChild. */
export function serveTask<I, O>(task: (input: I) => Promise<O>): void {
  process.once('message', (input: I) => {
    task(input).then(
      (result) => process.send!({ result }, () => process.exit(0)),
      (error: unknown) =>
        process.send!(
          { error: error instanceof Error ? (error.stack ?? error.message) : String(error) },
          () => process.exit(1),
        ),
    )
  })
}

/** Resident set size of a process, now and at its peak (VmHWM), in bytes. */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024
  return { rss: kb('VmRSS'), peak: kb('VmHWM') }
}

/** Samples a process's RSS every `everyMs` until stopped; reports the maximum sampled and the kernel's peak. */
export function sampleRss(pid: number, everyMs = 100) {
  let max = 0
  let last = 0
  const timer = setInterval(() => {
    try {
      const m = memoryOf(pid)
      last = m.rss
      max = Math.max(max, m.rss)
    } catch {
      // the process is gone
    }
  }, everyMs)
  return {
    stop(): { maxRss: number; lastRss: number; peak: number } {
      clearInterval(timer)
      let peak = NaN
      try {
        peak = memoryOf(pid).peak
      } catch {
        // gone
      }
      return { maxRss: max, lastRss: last, peak }
    },
  }
}

/** CPU time a process (all its threads) has used, in clock ticks (USER_HZ, 100 a second on Linux). */
function cpuTicks(pid: number): number {
  // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are 14 and 15.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return Number(fields[11]) + Number(fields[12])
}

/**
 * Waits until a process has gone quiet: under 2 % of a core over a whole second (after a load, the server's
 * checkpointer is still copying the WAL into the database file and its heap is still being collected).
 * Resolves with the seconds waited; gives up after `maxMs`.
 */
export async function settled(pid: number, maxMs = 180_000): Promise<number> {
  const t0 = performance.now()
  let before = cpuTicks(pid)
  while (performance.now() - t0 < maxMs) {
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const now = cpuTicks(pid)
    if (now - before <= 2) break
    before = now
  }
  return (performance.now() - t0) / 1000
}

export interface TbServer {
  url: string
  pid: number
  token: string
  apiKey: string
  child: ChildProcess
  stop(): Promise<void>
}

/**
 * Starts `node dist/cli/main.js start`. On an empty database the first start creates a workspace and prints
 * its Token ID and api_key, which are read from its output (empty strings on an existing database).
 */
export async function startTbServer(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<TbServer> {
  const port = await freePort()
  const nodeArgs = (process.env['BENCH_SERVER_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== '')
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, 'dist/cli/main.js'), 'start'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let out = ''
  const started = await new Promise<{ token: string; apiKey: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000)
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${out}`)))
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes('Lost a Token ID?')) {
        // An existing database: the caller knows its tokens.
        clearTimeout(timer)
        resolve({ token: '', apiKey: '' })
        return
      }
      if (!out.includes('The api_key is shown only now')) return
      const token = /Token ID.*\): (\S+)/.exec(out)?.[1]
      const apiKey = /api_key.*\): (\S+)/.exec(out)?.[1]
      if (token !== undefined && apiKey !== undefined) {
        clearTimeout(timer)
        resolve({ token, apiKey })
      }
    })
  })
  child.removeAllListeners('exit')
  child.stdout!.resume()
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    child,
    ...started,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}
