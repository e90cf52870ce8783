// Drives rebuilds one slice at a time (store/core/rebuild.ts). Between two slices the event loop turns, so the
// writer, shared by every workspace, never waits for more than one slice of someone else's rebuild.
import type { RebuildProgress } from '../model/rebuild.js'
import type { RebuildStore } from './interfaces/workspaces.js'

/** Writer time of one slice: long enough to amortise its transaction, short enough not to stall ingestion. */
export const SLICE_MS = 40

type Slicer = Pick<RebuildStore, 'slice' | 'startNeeded'>

/** The workspace whose turn it is after `last`: the next id up, round the list. */
export function nextInTurn(pending: readonly number[], last: number): number | undefined {
  return pending.find((ws) => ws > last) ?? pending[0]
}

/** A timer turn: lets requests that arrived during a slice be read and committed before the next one. */
const turn = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

/** Runs a workspace's started rebuild to its end (the CLI, and stores used without a server). */
export async function runRebuild(
  rebuilds: Pick<RebuildStore, 'slice' | 'progress'>,
  workspaceId: number,
  onProgress?: (progress: RebuildProgress) => void,
): Promise<{ events: number }> {
  const { total } = await rebuilds.progress(workspaceId)
  for (;;) {
    const progress = await rebuilds.slice(SLICE_MS, workspaceId)
    if (progress === null || progress.state === 'idle') return { events: total }
    onProgress?.(progress)
    await turn()
  }
}

export interface RebuildRunnerOptions {
  /** How often an idle runner looks for rebuilds started elsewhere (the CLI, another server, a restart). */
  pollMs?: number
  onError?: (error: unknown) => void
  /** The workspaces marked rebuild_needed whose rebuild the runner started when it started. */
  onStartedNeeded?: (workspaceIds: number[]) => void
}

/**
 * The server's background loop: first the rebuilds of the workspaces marked rebuild_needed (migration 7) are
 * started, then slices of every workspace's rebuild, in turn, until none is left.
 */
export class RebuildRunner {
  private stopped = false
  private wake: (() => void) | null = null
  private loop: Promise<void> | null = null

  constructor(
    private readonly rebuilds: Slicer,
    private readonly options: RebuildRunnerOptions = {},
  ) {}

  start(): void {
    this.loop ??= this.run()
  }

  /** A rebuild was just started: no need to wait for the next poll. */
  kick(): void {
    this.wake?.()
  }

  /** Stops after the slice under way (a slice is short: shutdown never waits for a whole rebuild). */
  async stop(): Promise<void> {
    this.stopped = true
    this.kick()
    await this.loop
  }

  private async run(): Promise<void> {
    // Tried again after a pause until it succeeds (a database restarting): the marks stay until then.
    while (!this.stopped) {
      try {
        const started = await this.rebuilds.startNeeded()
        if (started.length > 0) this.options.onStartedNeeded?.(started)
        break
      } catch (error) {
        this.options.onError?.(error)
        await this.sleep(this.options.pollMs ?? 2_000)
      }
    }
    while (!this.stopped) {
      let progress: RebuildProgress | null = null
      try {
        progress = await this.rebuilds.slice(SLICE_MS)
      } catch (error) {
        // The slice was rolled back; it is tried again after a pause (a locked file, a database restart).
        this.options.onError?.(error)
      }
      if (progress === null) await this.sleep(this.options.pollMs ?? 2_000)
      else await turn()
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.wake = null
        resolve()
      }
      const timer = setTimeout(done, ms)
      timer.unref()
      this.wake = done
    })
  }
}
