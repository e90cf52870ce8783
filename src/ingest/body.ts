// Request bodies: decompression with a hard output limit (a gzip bomb stops at the limit), then JSON.
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib'
import { TbError } from '../errors.js'

function isGzip(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b
}

/**
 * Returns the body's plain bytes, at most `limit` of them. Gzip is detected by its magic bytes too,
 * because some SDKs (RudderStack's Node SDK) send gzip labelled only by an unrelated Content-Type.
 */
export function decodeBody(raw: Buffer, contentEncoding: string | undefined, limit: number): Buffer {
  const encoding = (contentEncoding ?? '').trim().toLowerCase()
  const options = { maxOutputLength: limit + 1 }
  let decoded: Buffer
  try {
    if (encoding === 'gzip' || encoding === 'x-gzip' || (encoding === '' && isGzip(raw)))
      decoded = gunzipSync(raw, options)
    else if (encoding === 'deflate') decoded = inflateSync(raw, options)
    else if (encoding === 'br') decoded = brotliDecompressSync(raw, options)
    else if (encoding === '' || encoding === 'identity') decoded = raw
    else
      throw new TbError(
        'unsupported_encoding',
        `Unsupported Content-Encoding "${encoding}"; use gzip or deflate`,
      )
  } catch (error) {
    if (error instanceof TbError) throw error
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new TbError('payload_too_large', `The decompressed body exceeds ${limit} bytes`)
    }
    throw new TbError('invalid_body', `The body could not be decompressed as ${encoding || 'gzip'}`)
  }
  if (decoded.length > limit) throw new TbError('payload_too_large', `The body exceeds ${limit} bytes`)
  return decoded
}

export function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'))
  } catch (error) {
    throw new TbError('invalid_json', `The body is not valid JSON: ${(error as Error).message}`)
  }
}
