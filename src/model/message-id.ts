// A message without a messageId gets one derived from its content, so a retried request is still deduplicated.
import { createHash } from 'node:crypto'

/** Fields a client changes between retries of the same message; they don't make it a different message. */
const VOLATILE_FIELDS = new Set(['messageId', 'sentAt', 'writeKey', '_metadata'])

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
    return `{${entries.join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

export function deterministicMessageId(workspaceId: number, message: Record<string, unknown>): string {
  const body = Object.fromEntries(Object.entries(message).filter(([key]) => !VOLATILE_FIELDS.has(key)))
  const digest = createHash('sha256')
    .update(`${workspaceId}\n${canonicalJson(body)}`)
    .digest('hex')
  return `tb-${digest.slice(0, 40)}`
}
