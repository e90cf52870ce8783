// A history import: every record of every file through the same validation, translation and dedupe as live
// ingest, committed in chunks, with resumable progress and rejected records written out with their reasons.
import { createWriteStream, type WriteStream } from 'node:fs'
import type { ErrorCode } from '../errors.js'
import { prepareMessages } from '../ingest/prepare.js'
import type { Store, Workspace } from '../store/types.js'
import type { InputFile } from './files.js'
import type { ImportState } from './import-state.js'
import { openRecords } from './records.js'

const CHUNK = 1000

export interface ImportProgress {
  bytesDone: number
  events: number
}

export interface ImportSummary {
  files: number
  accepted: number
  duplicates: number
  filtered: number
  rejected: number
  /** Records skipped because an earlier, interrupted run had committed them. */
  resumed: number
}

export interface ImportOptions {
  store: Store
  workspace: Workspace
  files: InputFile[]
  state: ImportState
  rejectedPath: string
  onProgress: (progress: ImportProgress) => void
}

interface Chunk {
  records: Array<{ n: number; value: unknown }>
}

class Rejections {
  private out: WriteStream | null = null
  count = 0
  constructor(private readonly path: string) {}

  write(file: string, n: number, code: ErrorCode, message: string, raw: unknown): void {
    this.out ??= createWriteStream(this.path)
    this.count++
    this.out.write(`${JSON.stringify({ file, record: n, code, message, raw })}\n`)
  }

  async close(): Promise<void> {
    const out = this.out
    if (out !== null) await new Promise<void>((done) => out.end(done))
  }
}

export async function runImport(options: ImportOptions): Promise<ImportSummary> {
  const { store, workspace, files, state } = options
  const rejections = new Rejections(options.rejectedPath)
  const summary: ImportSummary = {
    files: files.length,
    accepted: 0,
    duplicates: 0,
    filtered: 0,
    rejected: 0,
    resumed: 0,
  }
  let bytesBefore = 0

  const commit = async (file: InputFile, chunk: Chunk, last: number, complete: boolean) => {
    if (chunk.records.length > 0) {
      const { batch, results } = prepareMessages(
        workspace.id,
        workspace,
        chunk.records.map((r) => r.value),
        undefined,
      )
      // History is not shown in Live events: its rejections go to the file, not to the rejected-events list.
      const [outcome] = await store.ingest.commit([{ ...batch, rejected: [] }])
      summary.accepted += outcome?.inserted ?? 0
      summary.duplicates += outcome?.duplicates ?? 0
      results.forEach((result, i) => {
        if (result.status === 'filtered') summary.filtered++
        if (result.status === 'rejected') {
          const record = chunk.records[i]!
          rejections.write(file.path, record.n, result.rejection.code, result.rejection.message, record.value)
        }
      })
    }
    state.save(file, last, complete)
    chunk.records = []
  }

  try {
    for (const file of files) {
      const { done, complete } = state.committed(file)
      if (complete) {
        bytesBefore += file.size
        continue
      }
      const chunk: Chunk = { records: [] }
      let last = 0
      let bytesRead = () => 0
      try {
        const reader = await openRecords(file.path)
        bytesRead = reader.bytesRead
        for await (const record of reader.records) {
          last = record.n
          if (record.n <= done) {
            summary.resumed++
            continue
          }
          if ('error' in record)
            rejections.write(file.path, record.n, 'invalid_json', record.error, record.text)
          else chunk.records.push(record)
          if (chunk.records.length >= CHUNK) {
            await commit(file, chunk, last, false)
            options.onProgress({
              bytesDone: bytesBefore + bytesRead(),
              events: summary.accepted + summary.duplicates,
            })
          }
        }
      } catch (error) {
        // An unreadable file (a truncated gzip, a broken JSON array) is reported, and the import goes on.
        rejections.write(file.path, last + 1, 'unreadable_file', (error as Error).message, null)
      }
      await commit(file, chunk, last, true)
      bytesBefore += file.size
      options.onProgress({ bytesDone: bytesBefore, events: summary.accepted + summary.duplicates })
    }
  } finally {
    await rejections.close()
  }
  summary.rejected = rejections.count
  return summary
}
