// GET/PATCH /api/v1/workspace: name, time zone, currency, event mapping, revenue rules, gross margin and whether
// browsers' privacy signals are respected.
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { TbError } from '../errors.js'
import { canonicalTimeZone, isValidTimeZone } from '../model/calendar.js'
import type { RebuildProgress } from '../model/rebuild.js'
import {
  CHURN_RECOGNITIONS,
  DEFAULT_EVENT_MAPPING,
  type EventMapping,
  type SpecialKind,
} from '../model/types.js'
import type { CreatedWorkspace, Store, Workspace } from '../store/types.js'
import { workspaceOf } from './metrics.js'
import type { Workspace as WorkspaceAnswer } from './shapes/workspace.js'
import { workspaceSchemas } from './workspace-schema.js'
import { workspaceTokenRoutes } from './workspace-token.js'

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
    churn_recognition: z
      .enum(CHURN_RECOGNITIONS)
      .describe(
        "When a canceled subscription's MRR ends: at the end of its paid period (`end_of_period`) or at the " +
          "end of the cancel's day (`immediate`)",
      ),
    past_due_grace_days: z
      .number()
      .int()
      .min(0)
      .max(365)
      .describe('Days a subscription still counts after its paid period ends without a renewal'),
    conversion_window_days: z
      .number()
      .int()
      .min(1)
      .max(365)
      .describe('Days after a first visit (or signup) within which a signup (or first payment) converts it'),
    gross_margin: z
      .number()
      .gt(0)
      .max(1)
      .describe('The fraction of revenue kept, in (0, 1]: LTV = ARPA × gross margin ÷ subscriber churn'),
    respect_privacy_signals: z
      .boolean()
      .describe(
        'Drop at ingestion the events of browsers that send Do-Not-Track or Global Privacy Control ' +
          "(DNT: 1, Sec-GPC: 1, or the tracker's context.privacy.signal); the answer counts them in skipped_privacy",
      ),
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
    churn_recognition: ws.rules.churnRecognition,
    past_due_grace_days: ws.rules.pastDueGraceDays,
    conversion_window_days: ws.rules.conversionWindowDays,
    gross_margin: ws.grossMargin,
    respect_privacy_signals: ws.respectPrivacySignals,
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
  workspaceTokenRoutes(app, store)
  app.get('/api/v1/workspace', { schema: workspaceSchemas.get }, async (request) => {
    const [ws, rebuild] = await Promise.all([
      workspaceOf(store, request.workspaceId),
      store.rebuilds.progress(request.workspaceId),
    ])
    return workspaceView(ws, rebuild)
  })

  // Members may change the event mapping; name, time zone, currency, the revenue rules, the gross margin and
  // the privacy setting are the owner's.
  app.patch<{ Body: z.output<typeof workspacePatch> }>(
    '/api/v1/workspace',
    { config: { role: 'member' }, schema: workspaceSchemas.patch(workspacePatch) },
    async (request) => {
      const patch = request.body
      const ownerFields = [
        patch.name,
        patch.timezone,
        patch.currency,
        patch.churn_recognition,
        patch.past_due_grace_days,
        patch.conversion_window_days,
        patch.gross_margin,
        patch.respect_privacy_signals,
      ].some((v) => v !== undefined)
      if (ownerFields && request.caller.role !== 'owner') {
        throw new TbError(
          'forbidden',
          'Only an owner may change the name, time zone, currency, revenue rules, gross margin or privacy setting',
        )
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
        churnRecognition: patch.churn_recognition,
        pastDueGraceDays: patch.past_due_grace_days,
        conversionWindowDays: patch.conversion_window_days,
        grossMargin: patch.gross_margin,
        respectPrivacySignals: patch.respect_privacy_signals,
      })
      if (updated === null) throw new TbError('not_found', 'The workspace no longer exists')
      kickRebuild()
      return workspaceView(updated, await store.rebuilds.progress(request.workspaceId))
    },
  )
}
