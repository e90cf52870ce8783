// Baseline (a), the HTTP ceiling: a bare node:http server that reads each request, JSON-parses it and answers
// 200 — no framework, no validation, no storage. Run as its own process: `node --import tsx bench/bare-server.ts PORT`.
import { createServer } from 'node:http'

const port = Number(process.argv[2])
const answer = JSON.stringify({ success: true })

createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (chunk: Buffer) => chunks.push(chunk))
  req.on('end', () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString('utf8'))
      res.writeHead(200, { 'content-type': 'application/json' }).end(answer)
    } catch {
      res.writeHead(400).end()
    }
  })
}).listen(port, '127.0.0.1', () => process.stdout.write('listening\n'))
