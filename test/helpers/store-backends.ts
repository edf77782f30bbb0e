import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import pg from 'pg'
import { MemoryStore } from '../../lib/stores/memory.js'
import { createPostgresStore, PostgresStore } from '../../lib/stores/postgres.js'
import type { CreatePostgresStoreOptions } from '../../lib/stores/postgres.js'
import { createRedisStore, RedisStore } from '../../lib/stores/redis.js'
import type { CreateRedisStoreOptions } from '../../lib/stores/redis.js'
import type { BitjwsStore, StoredUser } from '../../lib/stores/store.js'

export const REDIS_URL = process.env.REDIS_URL || undefined
export const DATABASE_URL = process.env.DATABASE_URL || undefined

/** For describe(…, { skip }): false to run, or the reason the suite is skipped. */
export const redisSkip = REDIS_URL === undefined
  ? 'REDIS_URL is not set: Redis store tests skipped'
  : false
export const postgresSkip = DATABASE_URL === undefined
  ? 'DATABASE_URL is not set: PostgreSQL store tests skipped'
  : false

export type TestStore = BitjwsStore<StoredUser> & Required<Pick<BitjwsStore, 'registerUser'>>

/** Key prefixes and table names unique to this run, so parallel runs never meet. */
export function uniqueName (): string {
  return `t${process.pid}_${randomBytes(4).toString('hex')}`
}

/** The same URL pointed at another local port (a proxy, or a port nobody listens on). */
export function withPort (url: string, port: number): string {
  const moved = new URL(url)
  moved.hostname = '127.0.0.1'
  moved.port = String(port)
  return moved.href
}

export function targetOf (url: string, defaultPort: number): { host: string, port: number } {
  const { hostname, port } = new URL(url)
  return { host: hostname, port: port === '' ? defaultPort : Number(port) }
}

/**
 * One place for the data of one test run: every store it opens shares the
 * same keys or tables, and cleanup() closes them and removes what they wrote.
 */
export interface Namespace<S extends TestStore = TestStore> {
  open (): Promise<S>
  cleanup (): Promise<void>
}

export interface Backend<S extends TestStore = TestStore> {
  name: string
  skip: string | false
  namespace (): Namespace<S>
}

export function memoryNamespace (): Namespace<MemoryStore> {
  const store = new MemoryStore()
  return { open: async () => store, cleanup: async () => {} }
}

/** A fresh key prefix on REDIS_URL, or on `options.url` when given. */
export function redisNamespace (
  options: Omit<CreateRedisStoreOptions, 'prefix' | 'client'> = {}
): Namespace<RedisStore> & { prefix: string } {
  const prefix = `bitjws-test:${uniqueName()}:`
  const opened: RedisStore[] = []
  return {
    prefix,
    async open () {
      const store = await createRedisStore({ url: REDIS_URL as string, ...options, prefix })
      opened.push(store)
      return store
    },
    async cleanup () {
      await Promise.all(opened.map((store) => store.close()))
      await deleteRedisKeys(prefix)
    }
  }
}

export async function deleteRedisKeys (prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL as string)
  try {
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
      if (keys.length > 0) await redis.del(...keys)
      cursor = next
    } while (cursor !== '0')
  } finally {
    await redis.quit()
  }
}

/** Fresh tables on DATABASE_URL, or on `options.url` when given; created on the first open(). */
export function postgresNamespace (
  options: Omit<CreatePostgresStoreOptions, 'usersTable' | 'noncesTable' | 'pool'> = {}
): Namespace<PostgresStore> & { usersTable: string, noncesTable: string } {
  const name = uniqueName()
  const tables = { usersTable: `bitjws_users_${name}`, noncesTable: `bitjws_nonces_${name}` }
  const opened: PostgresStore[] = []
  let migrated = false
  return {
    ...tables,
    async open () {
      if (!migrated) {
        // Migrated with the default timeouts, on the real server: a test that
        // shortens them, or goes through a proxy, is not about migrations.
        const migrator = await createPostgresStore({ url: DATABASE_URL as string, ...tables })
        try {
          await migrator.migrate()
        } finally {
          await migrator.close()
        }
        migrated = true
      }
      const url = DATABASE_URL as string
      const store = await createPostgresStore({ url, ...options, ...tables })
      opened.push(store)
      return store
    },
    async cleanup () {
      await Promise.all(opened.map((store) => store.close()))
      await dropTables(tables.usersTable, tables.noncesTable)
    }
  }
}

export async function dropTables (...tables: string[]): Promise<void> {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 })
  try {
    for (const table of tables) await pool.query(`DROP TABLE IF EXISTS "${table}"`)
  } finally {
    await pool.end()
  }
}

export const backends: Backend[] = [
  { name: 'MemoryStore', skip: false, namespace: memoryNamespace },
  { name: 'RedisStore', skip: redisSkip, namespace: () => redisNamespace() },
  { name: 'PostgresStore', skip: postgresSkip, namespace: () => postgresNamespace() }
]

/** Retries `attempt` until it resolves, or rejects with its last error after `timeout` ms. */
export async function eventually<T> (attempt: () => Promise<T>, timeout = 10_000): Promise<T> {
  const deadline = Date.now() + timeout
  for (;;) {
    try {
      return await attempt()
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
}

/** A Bitcoin-address-like kid; distinct per call. */
export function newKid (): string {
  return `1Test${randomBytes(12).toString('hex')}`
}
