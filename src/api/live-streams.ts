// The live event streams open in this process: how many each account and the server may hold (beyond, 429
// too_many_streams), revocation notices passed to the streams they concern, and all of them ended at shutdown.
import { TbError } from '../errors.js'
import { hashToken } from '../model/tokens.js'
import type { Caller } from './auth.js'
import type { LiveStream } from './live-stream.js'
import type { Revocations } from './revocations.js'

export interface LiveStreamLimits {
  /** Streams open at once in this process. */
  maxStreams: number
  /** Streams one account (or one api_key) may hold open at once in this process. */
  maxPerAccount: number
}

/** Whose streams count together: a dashboard account, or an api_key. */
function holderOf(caller: Caller): string {
  return caller.accountId !== null
    ? `account:${caller.accountId}`
    : `api_key:${hashToken(caller.credential.token)}`
}

export class LiveStreams {
  private readonly streams = new Set<LiveStream>()
  private readonly perHolder = new Map<string, number>()
  private reserved = 0

  constructor(
    private readonly limits: LiveStreamLimits,
    revocations: Revocations,
  ) {
    revocations.subscribe((revocation) => {
      for (const stream of this.streams) if (stream.concerns(revocation)) stream.check()
    })
  }

  /** Takes a place for a new stream of the caller, or throws too_many_streams; returns its release. */
  admit(caller: Caller): () => void {
    const holder = holderOf(caller)
    const held = this.perHolder.get(holder) ?? 0
    if (held >= this.limits.maxPerAccount) {
      throw new TbError(
        'too_many_streams',
        `At most ${this.limits.maxPerAccount} live event streams may be open at once per account; close one (another tab?) and retry`,
      )
    }
    if (this.reserved >= this.limits.maxStreams) {
      throw new TbError(
        'too_many_streams',
        'This server has as many live event streams open as it allows; retry later',
      )
    }
    this.perHolder.set(holder, held + 1)
    this.reserved++
    let released = false
    return () => {
      if (released) return
      released = true
      this.reserved--
      const left = (this.perHolder.get(holder) ?? 1) - 1
      if (left > 0) this.perHolder.set(holder, left)
      else this.perHolder.delete(holder)
    }
  }

  add(stream: LiveStream): void {
    this.streams.add(stream)
    stream.onClose(() => this.streams.delete(stream))
  }

  /** Ends every stream at once (shutdown: they never end by themselves, and closing would wait for them). */
  endAll(): void {
    for (const stream of [...this.streams]) stream.close()
  }
}
