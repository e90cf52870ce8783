// An acknowledged event survives kill -9: send numbered events, kill the server mid-stream, restart, count.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startCli } from '../helpers/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'tb-crash-'))
const env = { DATABASE_URL: `sqlite:${join(dir, 'tb.db')}` }
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('durability', () => {
  it('keeps every acknowledged event when the server is killed with SIGKILL', async () => {
    const first = startCli(env)
    const { url, output } = await first.ready
    await new Promise((r) => setTimeout(r, 100))
    const token = /Token ID.*?(tb_\S+)/.exec(output())![1]!
    const apiKey = /api_key.*?(tbk_\S+)/.exec(output())![1]!
    const acked: string[] = []
    const send = async (i: number) => {
      const res = await fetch(`${url}/v1/batch`, {
        method: 'POST',
        body: JSON.stringify({
          writeKey: token,
          batch: [{ type: 'track', userId: 'u', event: 'n', messageId: `m${i}` }],
        }),
      })
      if (res.status === 200) acked.push(`m${i}`)
    }
    const inflight: Promise<void>[] = []
    for (let i = 0; i < 400; i++) {
      inflight.push(send(i).catch(() => undefined))
      if (i === 250) first.child.kill('SIGKILL')
      if (i % 20 === 0) await new Promise((r) => setTimeout(r, 2))
    }
    await Promise.all(inflight)
    expect(acked.length).toBeGreaterThan(0)

    const second = startCli(env)
    const restarted = await second.ready
    const res = await fetch(`${restarted.url}/api/v1/users/u/events?limit=1000`, {
      headers: { authorization: `Bearer ${apiKey}` },
    })
    const stored = new Set(
      ((await res.json()) as { events: { message_id: string }[] }).events.map((e) => e.message_id),
    )
    const lost = acked.filter((id) => !stored.has(id))
    expect(lost).toEqual([])
    second.child.kill('SIGTERM')
  })
})
