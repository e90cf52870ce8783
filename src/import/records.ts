// Reads one input file as a stream of Segment messages, in constant memory: JSON lines (Segment's S3/GCS
// archives), a JSON array (a JSON export) or CSV with a header row, each optionally gzip-compressed.
import { createReadStream, type ReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { parse as parseCsv } from 'csv-parse'
import StreamArray from 'stream-json/streamers/StreamArray.js'
import { csvRowToMessage } from './csv-message.js'

/** One message of a file, numbered from 1 (the line, the array element or the CSV data row). */
export type FileRecord = { n: number; value: unknown } | { n: number; error: string; text: string }

export type FileFormat = 'jsonl' | 'json-array' | 'csv'

async function firstBytes(path: string, length: number): Promise<Buffer> {
  const handle = await open(path, 'r')
  try {
    const buffer = Buffer.alloc(length)
    const { bytesRead } = await handle.read(buffer, 0, length, 0)
    return buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

const isGzip = (head: Buffer) => head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b

function openText(path: string, gzip: boolean): { text: Readable; file: ReadStream } {
  const file = createReadStream(path)
  if (!gzip) return { text: file, file }
  const gunzip = createGunzip()
  file.on('error', (error) => gunzip.destroy(error))
  return { text: file.pipe(gunzip), file }
}

/** The format, from the name (`.csv`, `.csv.gz`) or else the first character of the (decompressed) text. */
export async function detectFormat(path: string): Promise<{ format: FileFormat; gzip: boolean }> {
  const gzip = isGzip(await firstBytes(path, 2))
  if (/\.csv(\.gz)?$/i.test(path)) return { format: 'csv', gzip }
  const { text, file } = openText(path, gzip)
  try {
    for await (const chunk of text) {
      const start = (chunk as Buffer).toString('utf8').trimStart()
      if (start.length > 0) return { format: start.startsWith('[') ? 'json-array' : 'jsonl', gzip }
    }
    return { format: 'jsonl', gzip }
  } finally {
    file.destroy()
  }
}

async function* jsonLines(input: Readable): AsyncGenerator<FileRecord> {
  let n = 0
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    n++
    if (line.trim() === '') continue
    try {
      yield { n, value: JSON.parse(line) as unknown }
    } catch (error) {
      yield { n, error: `invalid JSON: ${(error as Error).message}`, text: line }
    }
  }
}

async function* jsonArray(input: Readable): AsyncGenerator<FileRecord> {
  const elements = input.pipe(StreamArray.withParser())
  input.on('error', (error) => elements.destroy(error))
  for await (const element of elements as AsyncIterable<{ key: number; value: unknown }>) {
    yield { n: element.key + 1, value: element.value }
  }
}

async function* csvRows(input: Readable): AsyncGenerator<FileRecord> {
  const rows = input.pipe(
    parseCsv({ columns: true, skip_empty_lines: true, relax_column_count: true, bom: true }),
  )
  input.on('error', (error) => rows.destroy(error))
  let n = 0
  for await (const row of rows as AsyncIterable<Record<string, string>>) {
    yield { n: ++n, value: csvRowToMessage(row) }
  }
}

export interface RecordReader {
  records: AsyncGenerator<FileRecord>
  /** Bytes of the file read so far (compressed bytes for a gzip file), for progress. */
  bytesRead(): number
}

export async function openRecords(path: string): Promise<RecordReader> {
  const { format, gzip } = await detectFormat(path)
  const { text, file } = openText(path, gzip)
  const records =
    format === 'csv' ? csvRows(text) : format === 'json-array' ? jsonArray(text) : jsonLines(text)
  return { records, bytesRead: () => file.bytesRead }
}
