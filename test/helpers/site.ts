// For browser tests of the ways in from a web page: a site on another origin than Tractionboard's, and a wait
// for what the page's scripts send in their own time.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Site {
  url: string
  /** Every path the browser asked for, in order. */
  paths: string[]
  close(): Promise<void>
}

/**
 * A site on its own port and host name (localhost, where Tractionboard's test server is 127.0.0.1): each path
 * answers the HTML `html` gives for it, or 404 for null; it has no favicon.
 */
export async function startSite(html: (path: string) => string | null): Promise<Site> {
  const paths: string[] = []
  const server = createServer((request, response) => {
    const path = request.url ?? '/'
    paths.push(path)
    const page = path === '/favicon.ico' ? null : html(path)
    if (page === null) return void response.writeHead(404).end()
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    response.end(page)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://localhost:${port}`,
    paths,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** `probe`'s first value other than null, asked every 100 ms; an error naming `what` after `timeoutMs`. */
export async function until<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const value = await probe()
    if (value !== null) return value
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`Timed out waiting for ${what}`)
}
