// MAX_CONNECTIONS: past the cap, `tractionboard start` closes new connections at once, while the open ones keep
// being served; once one closes, a new one is accepted again.
import { mkdtempSync, rmSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startCli } from '../helpers/cli.js'

const CAP = 5

/** A raw keep-alive connection: one request at a time, each answer read whole (by its Content-Length). */
class Connection {
  private data = Buffer.alloc(0)
  private waiting: (() => void) | null = null
  closed = false
  received = 0
  readonly opened: Promise<void>

  constructor(private readonly socket: Socket) {
    this.opened = new Promise((resolve) => socket.once('connect', resolve))
    socket.on('data', (chunk: Buffer) => {
      this.received += chunk.length
      this.data = Buffer.concat([this.data, chunk])
      this.waiting?.()
    })
    socket.on('error', () => undefined)
    socket.on('close', () => {
      this.closed = true
      this.waiting?.()
    })
  }

  static open(url: string): Connection {
    const { hostname, port } = new URL(url)
    return new Connection(connect(Number(port), hostname))
  }

  /** The status of GET /health on this connection, or null if the connection closed without an answer. */
  async health(): Promise<number | null> {
    await this.opened
    this.socket.write('GET /health HTTP/1.1\r\nHost: tractionboard\r\n\r\n')
    for (;;) {
      const text = this.data.toString('latin1')
      const end = text.indexOf('\r\n\r\n')
      const length = Number(/content-length: (\d+)/i.exec(text)?.[1])
      if (end >= 0 && Number.isInteger(length) && this.data.length >= end + 4 + length) {
        this.data = this.data.subarray(end + 4 + length)
        return Number(text.slice(9, 12))
      }
      if (this.closed) return null
      await new Promise<void>((resolve) => (this.waiting = resolve))
    }
  }

  /** Resolves once the server has closed the connection (or after `ms`). */
  async closedWithin(ms: number): Promise<boolean> {
    if (!this.closed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms)
        this.socket.once('close', () => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
    return this.closed
  }

  close(): void {
    this.socket.destroy()
  }
}

describe('MAX_CONNECTIONS', () => {
  const cleanup: Array<() => void> = []
  afterEach(() => {
    for (const step of cleanup.splice(0).reverse()) step()
  })

  it('closes connections past the cap at once, and keeps serving the open ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tb-maxconn-'))
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }))
    const { child, ready } = startCli({
      DATABASE_URL: `sqlite:${join(dir, 'tb.db')}`,
      MAX_CONNECTIONS: String(CAP),
    })
    cleanup.push(() => child.kill('SIGKILL'))
    const { url } = await ready

    // The cap's worth of connections, each answered (so each is open on the server's side).
    const open = Array.from({ length: CAP }, () => Connection.open(url))
    cleanup.push(() => open.forEach((c) => c.close()))
    for (const connection of open) expect(await connection.health()).toBe(200)

    // Three more: the server closes them without an answer.
    const extra = Array.from({ length: 3 }, () => Connection.open(url))
    cleanup.push(() => extra.forEach((c) => c.close()))
    for (const connection of extra) {
      expect(await connection.closedWithin(5_000)).toBe(true)
      expect(connection.received).toBe(0)
    }

    // The first ones still work.
    for (const connection of open) expect(await connection.health()).toBe(200)

    // One closes: a new connection is served again.
    open[0]!.close()
    let status: number | null = null
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      const again = Connection.open(url)
      cleanup.push(() => again.close())
      status = await again.health()
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(status).toBe(200)
  })
})
