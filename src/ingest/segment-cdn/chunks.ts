// The lazy chunks of analytics.js (/analytics-next/bundles/<file> on Segment's CDN): the .js files and their
// source maps in @segment/analytics-next's dist/umd folder, as they are. Only names listed in that folder at
// startup are served, so no request can name another file (no path, no "..").
import { createHash } from 'node:crypto'
import { readdirSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { BUNDLE_DIR } from './bundle-dir.js'

export interface Chunk {
  body: Buffer
  etag: string
  contentType: string
  /** Named by a hash of their content (`auto-track.bundle.f131ce01a05e3a33a8c1.js`): cacheable for good. */
  immutable: boolean
}

const SERVED = /^[\w.-]+\.js(\.map)?$/
const HASHED = /\.[0-9a-f]{16,}\.js(\.map)?$/

export class Chunks {
  private readonly names: Set<string>
  private readonly read = new Map<string, Promise<Chunk>>()

  constructor(private readonly dir = BUNDLE_DIR) {
    this.names = new Set(readdirSync(dir).filter((name) => SERVED.test(name)))
  }

  /** The file of this name in the folder, or null when there is none (whatever the name holds). */
  get(name: string): Promise<Chunk> | null {
    if (!this.names.has(name)) return null
    let chunk = this.read.get(name)
    if (chunk === undefined) {
      // At most the folder's few files, each read once.
      chunk = readFile(this.dir + name).then((body) => ({
        body,
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
        contentType: name.endsWith('.map') ? 'application/json' : 'application/javascript',
        immutable: HASHED.test(name),
      }))
      chunk.catch(() => this.read.delete(name))
      this.read.set(name, chunk)
    }
    return chunk
  }
}
