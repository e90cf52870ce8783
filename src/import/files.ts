// The files an import reads: each path given, or every file under a folder (as Segment's archive destinations
// write them: folders of gzip-compressed JSON-lines files), in a stable order so a resumed import sees the same list.
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'

export interface InputFile {
  path: string
  size: number
  mtimeMs: number
}

async function walk(path: string, out: InputFile[]): Promise<void> {
  const info = await stat(path)
  if (info.isFile()) {
    out.push({ path, size: info.size, mtimeMs: info.mtimeMs })
    return
  }
  if (!info.isDirectory()) return
  const entries = (await readdir(path)).filter((name) => !name.startsWith('.')).sort()
  for (const name of entries) await walk(join(path, name), out)
}

/** Every input file, or an error naming the paths that don't exist. */
export async function listInputFiles(paths: string[]): Promise<InputFile[]> {
  const files: InputFile[] = []
  const missing: string[] = []
  for (const path of paths) {
    try {
      await walk(path, files)
    } catch {
      missing.push(path)
    }
  }
  if (missing.length > 0) throw new Error(`No such file or folder: ${missing.join(', ')}`)
  return files
}
