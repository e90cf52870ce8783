// Online backup of the SQLite store, and restoring one. See docs/reliability.md.
//
// A backup is SQLite's online backup (better-sqlite3's db.backup()) copied in a single step, so it reads one
// consistent snapshot while a server keeps committing (WAL mode: readers never block the writer). It is written
// to a temporary file beside the destination, made self-contained (journal mode DELETE: one file, no -wal),
// checked with PRAGMA integrity_check, synced, then renamed into place: the destination is either the previous
// backup or the new one, never half of one.
//
// A restore verifies the backup, copies it to a temporary file beside the database the same way, takes the
// database's exclusive lock (refusing when another connection, e.g. a running server, has it open), renames the
// copy over it and removes any stale -wal/-shm, so a crash at any point leaves either the old or the new database.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import type { BackupResult } from '../types.js'
import { SCHEMA_VERSION } from '../core/migrations/index.js'

export interface SqliteRestoreResult {
  /** Absolute path of the database restored into. */
  path: string
  /** Where the replaced database was kept, when it was not a readable database; null otherwise. */
  damagedKeptAs: string | null
  bytes: number
  schemaVersion: number
  workspaces: number
  events: number
}

/** A backup or restore that cannot proceed, with a message meant for the person running it. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BackupError'
  }
}

/** Pages per backup step: everything at once, so the copy is one snapshot and is never restarted by writes. */
const ALL_PAGES = 0x7fffffff
const LATEST_VERSION = SCHEMA_VERSION

function tempPathBeside(path: string, what: string): string {
  return join(dirname(path), `.${basename(path)}.${what}-${process.pid}-${Date.now()}.tmp`)
}

function removeQuietly(path: string): void {
  rmSync(path, { force: true })
}

function syncFile(path: string): void {
  const fd = openSync(path, 'r+')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Makes a rename durable (where the platform allows syncing a directory). */
function syncDirectory(path: string): void {
  let fd: number | null = null
  try {
    fd = openSync(path, 'r')
    fsyncSync(fd)
  } catch {
    // Not supported here (e.g. Windows): the rename is still atomic.
  } finally {
    if (fd !== null) closeSync(fd)
  }
}

function integrityProblems(db: Database.Database): string[] {
  const rows = db.pragma('integrity_check') as Array<{ integrity_check: string }>
  return rows.map((r) => r.integrity_check).filter((r) => r !== 'ok')
}

function schemaVersionOf(db: Database.Database): number | null {
  const table = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get()
  if (table === undefined) return null
  return (db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get() as number | null) ?? 0
}

/**
 * Turns a freshly copied database file into a self-contained, verified one: journal mode DELETE (no -wal next
 * to it), integrity checked, synced to disk. Returns its schema version.
 */
function finishCopy(path: string): number {
  const db = new Database(path, { fileMustExist: true })
  try {
    db.pragma('journal_mode = DELETE')
    const problems = integrityProblems(db)
    if (problems.length > 0) {
      throw new BackupError(`The copy failed its integrity check: ${problems.slice(0, 5).join('; ')}`)
    }
    return schemaVersionOf(db) ?? 0
  } finally {
    db.close()
  }
}

/** Copies `db` (open on a file) into `destination`, consistently, while other connections keep writing. */
export async function backupSqlite(db: Database.Database, destination: string): Promise<BackupResult> {
  if (db.memory) throw new BackupError('An in-memory database cannot be backed up')
  const target = resolve(destination)
  if (target === resolve(db.name)) throw new BackupError('The backup path is the database itself')
  if (existsSync(`${target}-wal`)) {
    throw new BackupError(
      `${target}-wal exists: ${target} looks like a database in use; choose another backup path`,
    )
  }
  mkdirSync(dirname(target), { recursive: true })
  const temp = tempPathBeside(target, 'backup')
  try {
    await db.backup(temp, { progress: () => ALL_PAGES })
    const schemaVersion = finishCopy(temp)
    syncFile(temp)
    renameSync(temp, target)
    syncDirectory(dirname(target))
    return { path: target, bytes: statSync(target).size, schemaVersion }
  } catch (error) {
    removeQuietly(temp)
    removeQuietly(`${temp}-journal`)
    throw error
  }
}

/** Opens a backup read-only and checks it is an intact Tractionboard database this version can use. */
function openVerifiedBackup(source: string): Database.Database {
  if (!existsSync(source)) throw new BackupError(`No backup at ${source}`)
  let db: Database.Database
  try {
    db = new Database(source, { readonly: true, fileMustExist: true })
  } catch (error) {
    throw new BackupError(`${source} cannot be opened: ${(error as Error).message}`)
  }
  try {
    const problems = integrityProblems(db)
    if (problems.length > 0) {
      throw new BackupError(`${source} failed its integrity check: ${problems.slice(0, 5).join('; ')}`)
    }
    const version = schemaVersionOf(db)
    const hasWorkspaces =
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'workspaces'").get() !==
      undefined
    if (version === null || !hasWorkspaces) {
      throw new BackupError(`${source} is not a Tractionboard database`)
    }
    if (version > LATEST_VERSION) {
      throw new BackupError(
        `${source} has schema version ${version}; this Tractionboard knows up to ${LATEST_VERSION}: upgrade it first`,
      )
    }
    return db
  } catch (error) {
    db.close()
    if (error instanceof BackupError) throw error
    // "file is not a database" and the like, on the first read.
    throw new BackupError(`${source} is not a readable SQLite database: ${(error as Error).message}`)
  }
}

const isDamage = (error: unknown) => /^SQLITE_(NOTADB|CORRUPT)/.test((error as { code?: string }).code ?? '')

/**
 * Takes the database's exclusive lock so nothing else uses it while it is replaced. A database in WAL mode can
 * only leave it when no other connection has it open: that is how a running server is detected. 'damaged': the
 * file is not a readable database (what a restore is often for); nothing can be locked.
 */
function lockForReplacement(path: string): Database.Database | 'damaged' {
  let db: Database.Database
  try {
    db = new Database(path, { fileMustExist: true, timeout: 0 })
  } catch (error) {
    if (isDamage(error)) return 'damaged'
    throw error
  }
  try {
    let mode: string
    try {
      mode = db.pragma('journal_mode = DELETE', { simple: true }) as string
    } catch (error) {
      if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) mode = 'busy'
      else throw error
    }
    if (mode.toLowerCase() !== 'delete') {
      throw new BackupError(
        `${path} is in use (is a server running on it?): stop it, then restore. Nothing was changed.`,
      )
    }
    db.exec('BEGIN EXCLUSIVE')
    return db
  } catch (error) {
    db.close()
    if (error instanceof BackupError) throw error
    if (isDamage(error)) return 'damaged'
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      throw new BackupError(
        `${path} is in use (is a server running on it?): stop it, then restore. Nothing was changed.`,
      )
    }
    throw error
  }
}

/**
 * Replaces the database at `target` with the backup at `source`, after checking the backup; refuses while
 * another connection has the database open. The database is either entirely the old one or the backup.
 */
export async function restoreSqlite(source: string, target: string): Promise<SqliteRestoreResult> {
  const from = resolve(source)
  const into = resolve(target)
  if (from === into) throw new BackupError('The backup and the database are the same file')
  const backup = openVerifiedBackup(from)
  mkdirSync(dirname(into), { recursive: true })
  const temp = tempPathBeside(into, 'restore')
  let lock: Database.Database | null = null
  let damagedKeptAs: string | null = null
  try {
    try {
      await backup.backup(temp, { progress: () => ALL_PAGES })
    } finally {
      backup.close()
    }
    finishCopy(temp)
    syncFile(temp)
    const locked = existsSync(into) ? lockForReplacement(into) : null
    if (locked === 'damaged') {
      // Kept aside, with whatever journal it has, rather than deleted: it may still hold something.
      damagedKeptAs = `${into}.damaged-${Date.now()}`
      for (const suffix of ['', '-wal', '-shm', '-journal']) {
        if (existsSync(`${into}${suffix}`)) renameSync(`${into}${suffix}`, `${damagedKeptAs}${suffix}`)
      }
    } else {
      lock = locked
    }
    // Leftovers of the old database must never be applied to the new one.
    for (const suffix of ['-wal', '-shm', '-journal']) removeQuietly(`${into}${suffix}`)
    renameSync(temp, into)
    syncDirectory(dirname(into))
  } catch (error) {
    removeQuietly(temp)
    removeQuietly(`${temp}-journal`)
    throw error
  } finally {
    if (lock !== null) {
      // The lock was on the replaced file; nothing was written through it.
      try {
        lock.exec('ROLLBACK')
      } finally {
        lock.close()
      }
    }
  }
  const db = new Database(into, { fileMustExist: true, readonly: true })
  try {
    const problems = integrityProblems(db)
    if (problems.length > 0) {
      throw new BackupError(`The restored database failed its integrity check: ${problems.join('; ')}`)
    }
    return {
      path: into,
      damagedKeptAs,
      bytes: statSync(into).size,
      schemaVersion: schemaVersionOf(db) ?? 0,
      workspaces: db.prepare('SELECT COUNT(*) FROM workspaces').pluck().get() as number,
      events: db.prepare('SELECT COUNT(*) FROM events').pluck().get() as number,
    }
  } finally {
    db.close()
  }
}
