// Where an interrupted import resumes: per file (identified by path, size and modification time), how many
// records are committed. Written after every committed chunk; removed when the import completes.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import type { InputFile } from './files.js'

interface StateFile {
  workspaceId: number
  files: Record<string, { size: number; mtimeMs: number; done: number; complete: boolean }>
}

export class ImportState {
  private constructor(
    readonly path: string,
    private readonly state: StateFile,
  ) {}

  /** The saved state for this workspace, or a fresh one when there is none (or it belongs to another workspace). */
  static load(path: string, workspaceId: number): ImportState {
    try {
      const saved = JSON.parse(readFileSync(path, 'utf8')) as StateFile
      if (saved.workspaceId === workspaceId && typeof saved.files === 'object')
        return new ImportState(path, saved)
    } catch {
      // no state yet, or unreadable: start from the beginning (dedupe makes re-reading harmless)
    }
    return new ImportState(path, { workspaceId, files: {} })
  }

  private entry(file: InputFile) {
    const saved = this.state.files[file.path]
    return saved !== undefined && saved.size === file.size && saved.mtimeMs === file.mtimeMs
      ? saved
      : undefined
  }

  /** Records of the file already committed by an earlier run (0 if the file changed since). */
  committed(file: InputFile): { done: number; complete: boolean } {
    const saved = this.entry(file)
    return { done: saved?.done ?? 0, complete: saved?.complete ?? false }
  }

  get resuming(): boolean {
    return Object.keys(this.state.files).length > 0
  }

  save(file: InputFile, done: number, complete: boolean): void {
    this.state.files[file.path] = { size: file.size, mtimeMs: file.mtimeMs, done, complete }
    // Write then rename, so an interruption never leaves half a state file.
    writeFileSync(`${this.path}.tmp`, JSON.stringify(this.state))
    renameSync(`${this.path}.tmp`, this.path)
  }

  remove(): void {
    rmSync(this.path, { force: true })
  }
}
