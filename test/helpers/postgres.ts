// PostgreSQL for tests: TB_TEST_DATABASE_URL names an admin connection (e.g. postgres://postgres@127.0.0.1:55432/
// postgres, which .ci/run starts); each test file creates its own database there and drops it afterwards.
// Without it the PostgreSQL tests are skipped with a loud warning, except under CI=true, where it is a failure.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { openPgStore, type PgStore } from '../../src/store/postgres/pg-store.js'

let warned = false

/** The admin connection string, or null (tests skipped) when none is configured outside CI. */
export function pgTestUrl(): string | null {
  const url = process.env['TB_TEST_DATABASE_URL']
  if (url !== undefined && url !== '') return url
  if (process.env['CI'] === 'true') {
    throw new Error(
      'TB_TEST_DATABASE_URL is not set: under CI=true the PostgreSQL tests must run (see .ci/run)',
    )
  }
  if (!warned) {
    warned = true
    console.warn('PostgreSQL tests SKIPPED: set TB_TEST_DATABASE_URL')
  }
  return null
}

export interface TestDatabase {
  /** Connection string of the new database. */
  url: string
  name: string
  /** Opens a store on it (migrating it on first use). */
  open(): Promise<PgStore>
  /** Empties every table (except schema_migrations) and restarts the id sequences. */
  truncate(): Promise<void>
  drop(): Promise<void>
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}

/** A fresh, uniquely named database on the TB_TEST_DATABASE_URL server. */
export async function createTestDatabase(adminUrl = pgTestUrl()): Promise<TestDatabase> {
  if (adminUrl === null) throw new Error('createTestDatabase needs TB_TEST_DATABASE_URL')
  const name = `tb_test_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${name}`)
  } finally {
    await admin.end()
  }
  const url = withDatabase(adminUrl, name)
  return {
    url,
    name,
    open: () => openPgStore(url),
    async truncate() {
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      try {
        const tables = await client.query<{ tablename: string }>(
          "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'",
        )
        if (tables.rows.length > 0) {
          await client.query(
            `TRUNCATE ${tables.rows.map((t) => `"${t.tablename}"`).join(', ')} RESTART IDENTITY`,
          )
        }
      } finally {
        await client.end()
      }
    },
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl })
      await client.connect()
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      } finally {
        await client.end()
      }
    },
  }
}
