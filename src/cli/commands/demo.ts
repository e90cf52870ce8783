// `tractionboard demo`: six months of a fictional startup, sent through the real ingestion endpoint.
import { Command } from 'commander'
import { SingleBar, Presets } from 'cli-progress'
import { buildServer } from '../../server.js'
import { demoStory } from '../../demo/story.js'
import { parseDay } from '../../model/calendar.js'
import { CliError } from '../cli-error.js'
import { parseWorkspaceId, withStore } from '../context.js'

const BATCH = 500

async function reachable(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health`, { signal: AbortSignal.timeout(1500) })).ok
  } catch {
    return false
  }
}

export function demoCommand(): Command {
  return new Command('demo')
    .description('Fill a workspace with six months of a fictional startup, through the ingestion API')
    .option('--workspace <id>', 'workspace id (default: the first)')
    .option(
      '--url <url>',
      'a running server (default: this configuration’s; started in-process when none answers)',
    )
    .action(async (options: { workspace?: string; url?: string }) => {
      await withStore(async (store, config) => {
        const workspaces = await store.workspaces.list()
        const id = options.workspace === undefined ? workspaces[0]?.id : parseWorkspaceId(options.workspace)
        if (id === undefined || !workspaces.some((w) => w.id === id)) {
          throw new CliError(
            id === undefined ? 'No workspace yet: run tractionboard start once' : `No workspace ${id}`,
          )
        }
        let url = (
          options.url ??
          config.publicUrl ??
          `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`
        ).replace(/\/$/, '')
        let local: Awaited<ReturnType<typeof buildServer>> | null = null
        if (!(await reachable(url))) {
          if (options.url !== undefined) throw new CliError(`No Tractionboard server answers at ${url}`)
          local = await buildServer({ config: { ...config, logLevel: 'warn' }, store })
          url = await local.listen({ port: 0, host: '127.0.0.1' })
        }
        // The workspace's own Token ID when it is stored showable: a temporary one would show under Settings >
        // Integrations as a "previous Token ID" for its hour. One of its own otherwise (an older installation's
        // Token ID is only hashed until it next authenticates), expiring in an hour.
        const current = (await store.workspaces.writeTokens(id)).find((t) => t.expiresAt === null)
        const token = current?.token ?? (await store.workspaces.addTemporaryToken(id, Date.now() + 3_600_000))
        const story = demoStory()
        // The euro's rates first, so that the euro customers' payments count converted as they arrive.
        const currency = workspaces.find((w) => w.id === id)!.currency
        const rates = story.rates.map((r) => ({ day: parseDay(r.date)!, currency: 'EUR', rate: r.usdPerEur }))
        if (currency === 'USD') await store.fxRates.put(id, rates)
        if (currency === 'EUR') {
          await store.fxRates.put(
            id,
            rates.map((r) => ({ ...r, currency: 'USD', rate: 1 / r.rate })),
          )
        }
        const bar = new SingleBar(
          { format: 'Sending events {bar} {percentage}% | {value}/{total} | {eta}s left | {rate} events/s' },
          Presets.shades_classic,
        )
        bar.start(story.messages.length, 0, { rate: 0 })
        const started = Date.now()
        for (let i = 0; i < story.messages.length; i += BATCH) {
          const batch = story.messages.slice(i, i + BATCH)
          const res = await fetch(`${url}/v1/batch`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: `Basic ${Buffer.from(`${token}:`).toString('base64')}`,
            },
            body: JSON.stringify({ batch }),
          })
          if (!res.ok) throw new CliError(`The server answered ${res.status}: ${await res.text()}`)
          const sent = i + batch.length
          bar.update(sent, { rate: Math.round(sent / Math.max((Date.now() - started) / 1000, 0.001)) })
        }
        bar.stop()
        // Events are deduplicated by messageId; spend has no such id, so a second run skips what is there.
        const entries = story.spend.map((s) => ({
          day: parseDay(s.date)!,
          amountMicros: s.amount * 1_000_000,
          channel: s.channel,
          note: 'demo',
        }))
        const key = (e: { day: number; channel: string | null; amountMicros: number }) =>
          `${e.day}|${e.channel}|${e.amountMicros}`
        const days = entries.map((e) => e.day)
        const existing = await store.spend.list(id, { from: Math.min(...days), to: Math.max(...days) })
        const present = new Set(existing.filter((e) => e.note === 'demo').map(key))
        const added = await store.spend.addMany(
          id,
          entries.filter((e) => !present.has(key(e))),
        )
        await local?.close()
        console.log(
          `Sent ${story.messages.length} events and ${added.length} new spend entries to workspace ${id}.`,
        )
        const dashboard = config.publicUrl ?? `http://localhost:${config.port}`
        console.log(
          local === null
            ? `Open ${dashboard} to see them.`
            : `Start the server (npm start) and open ${dashboard} to see them.`,
        )
      })
    })
}
