// GET/PATCH /api/v1/workspace: name, time zone, currency and event mapping.
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { TbError } from '../errors.js'
import { canonicalTimeZone, isValidTimeZone } from '../model/calendar.js'
import type { RebuildProgress } from '../model/rebuild.js'
import { DEFAULT_EVENT_MAPPING, type EventMapping, type SpecialKind } from '../model/types.js'
import type { CreatedWorkspace, Store, Workspace } from '../store/types.js'
import { workspaceOf } from './metrics.js'
import type { Workspace as WorkspaceAnswer } from './shapes/workspace.js'
import { workspaceSchemas } from './workspace-schema.js'

/** The sub-stores these routes use. */
type Stores = Pick<Store, 'rebuilds' | 'workspaces'>

const eventNames = z.array(z.string().trim().min(1).max(200)).max(100)

/** Any spelling Intl accepts, stored under its canonical name ('europe/paris' → 'Europe/Paris'). */
const timeZone = z
  .string()
  .refine(isValidTimeZone, 'not an IANA time zone (e.g. Europe/Paris)')
  .transform((name) => canonicalTimeZone(name) ?? name)

export const newWorkspaceInput = z.object({
  name: z.string().trim().min(1).max(200),
  timezone: timeZone.default('UTC'),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'not an ISO-4217 currency code')
    .transform((c) => c.toUpperCase())
    .default('USD'),
})

export const workspacePatch = z
  .object({
    name: z.string().trim().min(1).max(200),
    timezone: timeZone,
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, 'not an ISO-4217 currency code')
      .transform((c) => c.toUpperCase()),
    event_mapping: z
      .object({ payment: eventNames, refund: eventNames, cancel: eventNames, signup: eventNames })
      .partial()
      .strict(),
  })
  .partial()
  .strict()

/** The seed's names always count; the workspace's synonyms are added, and no name may mean two kinds. */
export function mappingWithDefaults(synonyms: Partial<Record<SpecialKind, string[]>>): EventMapping {
  const mapping = {} as EventMapping
  const owner = new Map<string, SpecialKind>()
  for (const kind of Object.keys(DEFAULT_EVENT_MAPPING) as SpecialKind[]) {
    mapping[kind] = [...new Set([...DEFAULT_EVENT_MAPPING[kind], ...(synonyms[kind] ?? [])])]
    for (const name of mapping[kind]) {
      const other = owner.get(name)
      if (other !== undefined)
        throw new TbError('invalid_parameter', `"${name}" cannot map to both ${other} and ${kind}`)
      owner.set(name, kind)
    }
  }
  return mapping
}

export function workspaceView(ws: Workspace, rebuild: RebuildProgress): WorkspaceAnswer {
  return {
    id: ws.id,
    name: ws.name,
    timezone: ws.timezone,
    currency: ws.currency,
    event_mapping: ws.eventMapping,
    rebuild,
  }
}

/** A new workspace with its Token ID and api_key, shown this once (POST /api/v1/workspaces, workspace create --json). */
export function createdWorkspaceView(ws: CreatedWorkspace) {
  return {
    id: ws.id,
    name: ws.name,
    timezone: ws.timezone,
    currency: ws.currency,
    token: ws.token,
    api_key: ws.apiKey,
  }
}

/** Starts the background rebuild a change of settings implies (store/rebuild-runner.ts). */
export type RebuildKick = () => void

export function workspaceRoutes(app: FastifyInstance, store: Stores, kickRebuild: RebuildKick): void {
  app.get('/api/v1/workspace', { schema: workspaceSchemas.get }, async (request) => {
    const [ws, rebuild] = await Promise.all([
      workspaceOf(store, request.workspaceId),
      store.rebuilds.progress(request.workspaceId),
    ])
    return workspaceView(ws, rebuild)
  })

  // Members may change the event mapping; name, time zone and currency are the owner's.
  app.patch<{ Body: z.output<typeof workspacePatch> }>(
    '/api/v1/workspace',
    { config: { role: 'member' }, schema: workspaceSchemas.patch(workspacePatch) },
    async (request) => {
      const patch = request.body
      const ownerFields = [patch.name, patch.timezone, patch.currency].some((v) => v !== undefined)
      if (ownerFields && request.caller.role !== 'owner') {
        throw new TbError('forbidden', 'Only an owner may change the name, time zone or currency')
      }
      const current = await workspaceOf(store, request.workspaceId)
      // Kinds left out of event_mapping keep their synonyms.
      const synonyms =
        patch.event_mapping === undefined ? undefined : { ...current.eventMapping, ...patch.event_mapping }
      const updated = await store.workspaces.update(request.workspaceId, {
        name: patch.name,
        timezone: patch.timezone,
        currency: patch.currency,
        eventMapping: synonyms === undefined ? undefined : mappingWithDefaults(synonyms),
      })
      if (updated === null) throw new TbError('not_found', 'The workspace no longer exists')
      kickRebuild()
      return workspaceView(updated, await store.rebuilds.progress(request.workspaceId))
    },
  )
}
