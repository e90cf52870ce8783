// Token IDs (write-only, shipped in web pages: stored showable beside their hash) and API keys (read access:
// stored only as hashes).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

export type TokenKind = 'write' | 'api'

const PREFIX: Record<TokenKind, string> = { write: 'tb_', api: 'tbk_' }

export function generateToken(kind: TokenKind): string {
  return PREFIX[kind] + randomBytes(18).toString('base64url')
}

/** Tokens are random and long, so a fast unsalted hash is enough to make a stolen database useless. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** The first characters, enough to recognise a token in a list without revealing it. */
export function tokenHint(token: string): string {
  return token.slice(0, PREFIX.write.length + 4) + '…'
}

export function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
