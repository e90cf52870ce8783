// Where browsers reach this server: PUBLIC_URL when set (behind a proxy), else the scheme and Host of the
// request. analytics.js is told to fetch its chunks and settings, and to send its events, there.
import type { FastifyRequest } from 'fastify'
import { TbError } from '../../errors.js'

export interface PublicOrigin {
  protocol: 'http' | 'https'
  /** host[:port], and PUBLIC_URL's path when it has one, without the scheme: what analytics.js calls a host. */
  host: string
}

// A Host header goes into JavaScript and JSON served to browsers: only what a host name and port may hold.
const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/

export function publicOrigin(publicUrl: string | null, request: FastifyRequest): PublicOrigin {
  if (publicUrl !== null) {
    const url = new URL(publicUrl)
    return {
      protocol: url.protocol === 'https:' ? 'https' : 'http',
      host: `${url.host}${url.pathname.replace(/\/+$/, '')}`,
    }
  }
  const host = request.host
  if (!HOST.test(host)) throw new TbError('invalid_parameter', 'The Host header is not a valid host name')
  return { protocol: request.protocol === 'https' ? 'https' : 'http', host }
}

/** The base URL analytics.js takes as its CDN: `protocol://host`, no trailing slash. */
export function originUrl(origin: PublicOrigin): string {
  return `${origin.protocol}://${origin.host}`
}
