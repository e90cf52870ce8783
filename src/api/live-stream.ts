// One open live events stream (GET /api/v1/live). It never holds more than a bound of unsent data for a slow
// client (what does not fit is counted and announced as an event `dropped`), and it delivers only while the
// credentials it was opened with still grant access: checked again through the store before delivering when
// the last check is older than FRESH_CHECK_MS, every CHECK_EVERY_MS, and at once on a revocation notice.
import type { ServerResponse } from 'node:http'
import type { FastifyBaseLogger } from 'fastify'
import type { LiveItem } from '../live-feed.js'
import { hashToken } from '../model/tokens.js'
import type { Role, Store } from '../store/types.js'
import { stillAuthorized, type Caller } from './auth.js'
import { liveItemView } from './live-view.js'
import type { Revocation } from './revocations.js'

/** The sub-stores this module uses. */
type Stores = Pick<Store, 'members' | 'sessions' | 'workspaces'>

/** Unsent bytes a stream may hold for its client (beyond the socket's own buffers). */
export const MAX_UNSENT_BYTES = 1024 * 1024
/** Items held while the credentials are being checked; more are dropped and counted. */
const MAX_HELD_ITEMS = 1000
/** Items are delivered at once only if the credentials were checked this recently. */
const FRESH_CHECK_MS = 1000
/** The credentials are also checked on a timer: changes made by other processes send no notice. */
const CHECK_EVERY_MS = 2000
const HEARTBEAT_MS = 15_000

export interface LiveStreamOptions {
  res: ServerResponse
  caller: Caller
  /** The least role the stream needs in its workspace. */
  role: Role
  store: Stores
  log: FastifyBaseLogger
  /** A client that leaves data unread this long is disconnected. */
  stallTimeoutMs: number
}

function frame(item: LiveItem): string {
  return `event: ${item.status}\ndata: ${JSON.stringify(liveItemView(item))}\n\n`
}

export class LiveStream {
  private closed = false
  /** When the last passed check started. */
  private lastCheck = Date.now()
  private checking = false
  /** A notice arrived while a check was running: that check may have read the state before the change. */
  private checkAgain = false
  /** Items that arrived while a check was due or running, delivered once it passes. */
  private held: LiveItem[] = []
  /** Items not delivered since the client was last told (the next `dropped` event's count). */
  private dropped = 0
  /** The socket has more unsent data than it wants: nothing is written until it drains. */
  private blocked = false
  private stall: NodeJS.Timeout | null = null
  private readonly timers: NodeJS.Timeout[]
  private readonly closeListeners: Array<() => void> = []
  private readonly sessionHash: string | null
  /** A session's end, known in advance: nothing is delivered from then on, whatever the last check said. */
  private readonly expiresAt: number

  constructor(private readonly options: LiveStreamOptions) {
    const { res, caller } = options
    const { credential } = caller
    this.sessionHash = credential.kind === 'session' ? hashToken(credential.token) : null
    this.expiresAt = credential.kind === 'session' ? credential.expiresAt : Infinity
    res.on('drain', () => this.drained())
    res.on('close', () => this.close())
    res.on('error', () => this.close())
    this.timers = [
      setInterval(() => this.check(), CHECK_EVERY_MS),
      setInterval(() => {
        if (!this.blocked) this.write(': ping\n\n')
      }, HEARTBEAT_MS),
    ]
  }

  /** Runs once the stream is closed, by either side. */
  onClose(listener: () => void): void {
    if (this.closed) listener()
    else this.closeListeners.push(listener)
  }

  /** New items of the workspace, from the live feed. */
  push(items: LiveItem[]): void {
    if (this.closed) return
    if (Date.now() >= this.expiresAt) return this.close()
    if (this.checking || Date.now() - this.lastCheck >= FRESH_CHECK_MS) {
      this.hold(items)
      this.check()
    } else {
      this.deliver(items)
    }
  }

  /** Whether a revocation notice may concern this stream's credentials. */
  concerns(revocation: Revocation): boolean {
    const { caller } = this.options
    switch (revocation.kind) {
      case 'session':
        return revocation.tokenHash === this.sessionHash
      case 'account':
        return revocation.accountId === caller.accountId
      case 'membership':
        return revocation.workspaceId === caller.workspaceId && revocation.accountId === caller.accountId
    }
  }

  /** Checks the credentials again through the store; nothing is delivered until a check started now passes. */
  check(): void {
    if (this.closed) return
    if (this.checking) {
      this.checkAgain = true
      return
    }
    this.checking = true
    this.checkAgain = false
    const started = Date.now()
    const { store, caller, role, log } = this.options
    stillAuthorized(store, caller, role).then(
      (ok) => this.checked(ok, started),
      (error: unknown) => {
        // Unable to tell is not allowed: the client reconnects, and is authenticated afresh.
        log.warn({ err: error }, 'live stream: its credentials could not be checked; closing it')
        this.checked(false, started)
      },
    )
  }

  /** Ends the stream: cleanly when its data is sent, by destroying the connection when the client is stalled. */
  close(): void {
    if (this.closed) return
    this.closed = true
    for (const timer of this.timers) clearInterval(timer)
    if (this.stall !== null) clearTimeout(this.stall)
    this.held = []
    const { res } = this.options
    if (res.destroyed || res.writableEnded) {
      // closed by the client, or ended already
    } else if (this.blocked || res.writableLength > 0) res.destroy()
    else res.end()
    for (const listener of this.closeListeners.splice(0)) listener()
  }

  private checked(ok: boolean, started: number): void {
    this.checking = false
    if (this.closed) return
    if (!ok) return this.close()
    if (this.checkAgain) return this.check()
    this.lastCheck = started
    const held = this.held
    this.held = []
    this.deliver(held)
  }

  private hold(items: LiveItem[]): void {
    const room = Math.max(0, MAX_HELD_ITEMS - this.held.length)
    this.dropped += Math.max(0, items.length - room)
    for (const item of items.slice(0, room)) this.held.push(item)
  }

  /** Writes what fits in MAX_UNSENT_BYTES, after a `dropped` notice if items were lost since the last one. */
  private deliver(items: LiveItem[]): void {
    if (this.blocked) {
      this.dropped += items.length
      return
    }
    const unsent = this.options.res.writableLength
    let text = this.droppedNotice()
    let bytes = Buffer.byteLength(text)
    let sent = 0
    for (const item of items) {
      const next = frame(item)
      const size = Buffer.byteLength(next)
      // The first item always goes to an empty buffer, so an item larger than the bound cannot stop the stream.
      if (unsent + bytes + size > MAX_UNSENT_BYTES && unsent + bytes > 0) break
      text += next
      bytes += size
      sent++
    }
    this.dropped += items.length - sent
    this.write(text)
  }

  private droppedNotice(): string {
    if (this.dropped === 0) return ''
    const text = `event: dropped\ndata: ${JSON.stringify({ count: this.dropped })}\n\n`
    this.dropped = 0
    return text
  }

  private write(text: string): void {
    if (this.closed || text === '') return
    if (this.options.res.write(text)) return
    this.blocked = true
    this.stall ??= setTimeout(() => {
      this.options.log.info('live stream: its client left data unread too long; disconnecting it')
      this.close()
    }, this.options.stallTimeoutMs)
  }

  private drained(): void {
    if (this.closed) return
    this.blocked = false
    if (this.stall !== null) clearTimeout(this.stall)
    this.stall = null
    this.write(this.droppedNotice())
  }
}
