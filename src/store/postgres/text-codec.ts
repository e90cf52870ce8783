// PostgreSQL text cannot hold U+0000, and jsonb also refuses unpaired surrogates and nesting deeper than its
// parser's stack allows. Ingested strings may contain any of these, and one such event must never make a
// whole ingest transaction fail again and again. So text written by the store is escaped reversibly with
// U+FFFF, a noncharacter that real data does not use (and which is itself escaped):
//   U+0000 → U+FFFF 'Z'   U+FFFF → U+FFFF 'F'   unpaired surrogate → U+FFFF 'S' + 4 hex digits
// and in JSON, a value nested deeper than MAX_JSON_DEPTH becomes the string U+FFFF 'J' + its JSON text.
// Strings without these characters (all real data) are stored unchanged.

const ESC = '\uffff'
// eslint-disable-next-line no-control-regex -- U+0000 is exactly what must be found
const NEEDS_ESCAPE = /[\u0000\uffff\ud800-\udfff]/
/** jsonb's parser handles a few thousand levels; deeper subtrees are stored as JSON text. */
export const MAX_JSON_DEPTH = 500

export function encodeText(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 0) out += `${ESC}Z`
    else if (c === 0xffff) out += `${ESC}F`
    else if (c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      out += s.slice(i, i + 2)
      i++
    } else if (c >= 0xd800 && c <= 0xdfff) out += `${ESC}S${c.toString(16)}`
    else out += s[i]
  }
  return out
}

export function encodeNullable(s: string | null): string | null {
  return s === null ? null : encodeText(s)
}

export function decodeText(s: string): string {
  if (!s.includes(ESC)) return s
  let out = ''
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== ESC) {
      out += s[i]
      continue
    }
    const tag = s[i + 1]
    if (tag === 'Z') out += '\u0000'
    else if (tag === 'F') out += ESC
    else if (tag === 'S' && /^[0-9a-f]{4}$/.test(s.slice(i + 2, i + 6))) {
      out += String.fromCharCode(parseInt(s.slice(i + 2, i + 6), 16))
      i += 4
    } else {
      // Not written by this codec: kept as it is.
      out += ESC
      continue
    }
    i++
  }
  return out
}

export function decodeNullable(s: string | null): string | null {
  return s === null ? null : decodeText(s)
}

/** Deepest nesting of arrays and objects in JSON text. */
function depthOf(json: string): number {
  let depth = 0
  let max = 0
  let inString = false
  for (let i = 0; i < json.length; i++) {
    const c = json[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
    } else if (c === '"') inString = true
    else if (c === '[' || c === '{') max = Math.max(max, ++depth)
    else if (c === ']' || c === '}') depth--
  }
  return max
}

function encodeDeep(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return encodeText(value)
  if (value === null || typeof value !== 'object') return value
  if (depth >= MAX_JSON_DEPTH) return `${ESC}J${JSON.stringify(value)}`
  if (Array.isArray(value)) return value.map((v) => encodeDeep(v, depth + 1))
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      encodeText(k),
      encodeDeep(v, depth + 1),
    ]),
  )
}

function decodeDeep(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.startsWith(`${ESC}J`) ? JSON.parse(value.slice(2)) : decodeText(value)
  }
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(decodeDeep)
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [decodeText(k), decodeDeep(v)]),
  )
}

/** JSON text that jsonb accepts, for any JSON value. */
export function encodeJson(value: unknown): string {
  const text = JSON.stringify(value)
  if (!/\\u0000|\\ud[89a-f]|\uffff/i.test(text) && depthOf(text) < MAX_JSON_DEPTH) return text
  return JSON.stringify(encodeDeep(value, 0))
}

/** The value of jsonb text as PostgreSQL returns it (it never escapes U+FFFF, so the check is exact). */
export function decodeJson(text: string): unknown {
  const value: unknown = JSON.parse(text)
  return text.includes(ESC) ? decodeDeep(value) : value
}
