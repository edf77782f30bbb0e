import type { Pool, PoolConfig } from 'pg'
import { loadPeer } from './load-peer.js'
import { StoreUnavailableError } from './store.js'
import type { BitjwsStore, StoredUser } from './store.js'

export interface PostgresStoreOptions {
  /** The users table, optionally schema-qualified (`auth.users`). Default `'bitjws_users'`. */
  usersTable?: string
  /** The nonces table, optionally schema-qualified. Default `'bitjws_nonces'`. */
  noncesTable?: string
  /** Whether `close()` ends the pool. Default false: the caller owns the pool. */
  closePool?: boolean
}

export interface CreatePostgresStoreOptions extends PostgresStoreOptions {
  /** A `postgres://` or `postgresql://` URL; the store makes its own pool, and ends it. */
  url?: string
  /** A ready pg pool, used as given; give it timeouts (see the README). */
  pool?: Pool
  /** Milliseconds to wait for a connection, or for a free one in a busy pool. Default 2000. */
  connectTimeout?: number
  /** Milliseconds any one query may take, on the client and on the server. Default 2000. */
  queryTimeout?: number
  /** Most connections the pool opens. Default 10. */
  maxConnections?: number
}

/*
 * The schema, as migrate() creates it (with the default names):
 *
 *   CREATE TABLE bitjws_users (kid text PRIMARY KEY, username text NOT NULL);
 *   CREATE TABLE bitjws_nonces (kid text PRIMARY KEY, nonce double precision NOT NULL);
 *
 * The nonce is double precision, not numeric: a JavaScript number is a double,
 * and the server parses the decimal text JavaScript printed for it back into
 * that same double, so PostgreSQL orders nonces exactly as the caller does, for
 * float seconds and integer milliseconds alike, in eight fixed bytes. numeric
 * would order them the same but cost more to store and compare, and come back
 * as strings. The one trap of double precision, NaN sorting above every number,
 * cannot arise: non-finite nonces are refused before any query.
 */

/**
 * Users and nonces in PostgreSQL, shared by every process that uses the same
 * database and tables. Call `migrate()` once to create the tables.
 *
 * Every failure rejects with `StoreUnavailableError`, the original error as `cause`.
 */
export class PostgresStore implements BitjwsStore<StoredUser> {
  readonly usersTable: string
  readonly noncesTable: string
  readonly #pool: Pool
  readonly #closePool: boolean
  #closed = false
  readonly #sql: {
    getUser: string
    registerUser: string
    advanceNonce: string
    migrate: string[]
  }

  constructor (pool: Pool, options: PostgresStoreOptions = {}) {
    const { usersTable = 'bitjws_users', noncesTable = 'bitjws_nonces' } = options
    const users = quoteTableName('usersTable', usersTable)
    const nonces = quoteTableName('noncesTable', noncesTable)
    if (typeof pool !== 'object' || pool === null || typeof pool.query !== 'function') {
      throw new TypeError('The `pool` option must be a pg Pool.')
    }

    this.#pool = pool
    this.#closePool = options.closePool ?? false
    this.usersTable = usersTable
    this.noncesTable = noncesTable
    // Table names are validated identifiers, quoted; every value travels as a parameter.
    this.#sql = {
      getUser: `SELECT username FROM ${users} WHERE kid = $1`,
      registerUser: `INSERT INTO ${users} (kid, username) VALUES ($1, $2)
        ON CONFLICT (kid) DO UPDATE SET username = EXCLUDED.username`,
      // One statement: a new key inserts; a known key updates only if the stored
      // nonce is lower. Racing copies of one message queue on the row lock and
      // re-check the condition against the winner's value, so only one row comes back.
      advanceNonce: `INSERT INTO ${nonces} AS n (kid, nonce) VALUES ($1, $2::double precision)
        ON CONFLICT (kid) DO UPDATE SET nonce = EXCLUDED.nonce WHERE n.nonce < EXCLUDED.nonce
        RETURNING 1`,
      migrate: [
        `CREATE TABLE IF NOT EXISTS ${users} (kid text PRIMARY KEY, username text NOT NULL)`,
        `CREATE TABLE IF NOT EXISTS ${nonces}
          (kid text PRIMARY KEY, nonce double precision NOT NULL)`
      ]
    }
  }

  async getUserByKey (kid: string): Promise<StoredUser | null> {
    const result = await this.#ask('look up a user', this.#sql.getUser, [kid])
    const row = result.rows[0] as { username?: unknown } | undefined
    if (typeof row?.username !== 'string') return null
    return { kid, username: row.username }
  }

  async advanceNonce (kid: string, nonce: number): Promise<boolean> {
    if (!Number.isFinite(nonce)) return false
    const result = await this.#ask('advance a nonce', this.#sql.advanceNonce, [kid, String(nonce)])
    return result.rowCount === 1
  }

  async registerUser (user: StoredUser): Promise<StoredUser> {
    const stored = { kid: user.kid, username: user.username }
    await this.#ask('register a user', this.#sql.registerUser, [stored.kid, stored.username])
    return stored
  }

  /**
   * Creates the tables if they do not exist. Safe to run from many processes at
   * once: an advisory lock makes them take turns, since two concurrent
   * CREATE TABLE IF NOT EXISTS of one name can still collide.
   */
  async migrate (): Promise<void> {
    let client
    try {
      client = await this.#pool.connect()
    } catch (error) {
      throw new StoreUnavailableError('The PostgreSQL store could not migrate', { cause: error })
    }

    let failure: unknown
    try {
      await client.query('BEGIN')
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['fastify-bitjws migrate'])
      for (const statement of this.#sql.migrate) await client.query(statement)
      await client.query('COMMIT')
    } catch (error) {
      failure = error
      await client.query('ROLLBACK').catch(() => {})
      throw new StoreUnavailableError('The PostgreSQL store could not migrate', { cause: error })
    } finally {
      // A connection that failed mid-transaction is discarded rather than reused.
      client.release(failure instanceof Error ? failure : undefined)
    }
  }

  /** Ends the pool if the store made it (or `closePool` says so); calling it again does nothing. */
  async close (): Promise<void> {
    // pg throws when a pool is ended twice, and both an app and a plugin may close a store.
    if (!this.#closePool || this.#closed) return
    this.#closed = true
    await this.#pool.end()
  }

  async #ask (what: string, text: string, values: unknown[]): Promise<{
    rows: unknown[], rowCount: number | null
  }> {
    try {
      return await this.#pool.query(text, values)
    } catch (error) {
      throw new StoreUnavailableError(`The PostgreSQL store could not ${what}`, { cause: error })
    }
  }
}

/**
 * Opens a pool and resolves with a store once the database answers; rejects
 * with `StoreUnavailableError` when it does not. With `url`, connecting and
 * every query are bounded in time, so an outage turns into prompt errors
 * (503s) rather than requests hanging; new connections are tried on each call,
 * so the store recovers by itself. Does not create tables: call `migrate()`.
 *
 * pg is an optional peer dependency, loaded only here.
 */
export async function createPostgresStore (
  options: CreatePostgresStoreOptions
): Promise<PostgresStore> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('The options of createPostgresStore must be an object.')
  }
  const { url, pool, connectTimeout = 2000, queryTimeout = 2000, maxConnections = 10 } = options
  const storeOptions: PostgresStoreOptions = {}
  if (options.usersTable !== undefined) storeOptions.usersTable = options.usersTable
  if (options.noncesTable !== undefined) storeOptions.noncesTable = options.noncesTable
  quoteTableName('usersTable', storeOptions.usersTable ?? 'bitjws_users')
  quoteTableName('noncesTable', storeOptions.noncesTable ?? 'bitjws_nonces')

  if (pool !== undefined) {
    if (url !== undefined) {
      throw new TypeError('Pass either the `url` or the `pool` option, not both.')
    }
    return new PostgresStore(pool, { ...storeOptions, closePool: options.closePool ?? false })
  }
  if (typeof url !== 'string' || !/^postgres(ql)?:\/\//i.test(url)) {
    throw new TypeError('The `url` option must be a postgres:// or postgresql:// URL.')
  }
  checkPositiveInteger('connectTimeout', connectTimeout, 'milliseconds')
  checkPositiveInteger('queryTimeout', queryTimeout, 'milliseconds')
  checkPositiveInteger('maxConnections', maxConnections, 'connections')

  const { default: pg } = await loadPeer(() => import('pg'), 'pg', 'PostgreSQL')
  const config: PoolConfig = {
    connectionString: url,
    max: maxConnections,
    connectionTimeoutMillis: connectTimeout,
    // query_timeout gives up on the client side, which still works when the
    // server or the network is gone; statement_timeout frees the server too.
    query_timeout: queryTimeout,
    statement_timeout: queryTimeout,
    keepAlive: true
  }
  const created = new pg.Pool(config)
  // An idle connection that breaks emits 'error' on the pool, which would end
  // the process without a listener; the pool drops the connection by itself
  // and the next call opens a new one or rejects.
  created.on('error', () => {})

  const closePool = options.closePool ?? true
  const store = new PostgresStore(created, { ...storeOptions, closePool })
  try {
    await created.query('SELECT 1')
  } catch (error) {
    await created.end().catch(() => {})
    throw new StoreUnavailableError('The PostgreSQL store could not connect', { cause: error })
  }
  return store
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/

/** Validates `schema.table` or `table` and returns it quoted, so reserved words work as names. */
function quoteTableName (option: string, name: unknown): string {
  const parts = typeof name === 'string' ? name.split('.') : []
  if (parts.length === 0 || parts.length > 2 || !parts.every((part) => IDENTIFIER.test(part))) {
    throw new TypeError(`The \`${option}\` option must be an SQL identifier (letters, digits and underscores, not starting with a digit, at most 63 characters), optionally schema-qualified.`)
  }
  return parts.map((part) => `"${part}"`).join('.')
}

function checkPositiveInteger (name: string, value: unknown, unit: string): void {
  if (!Number.isSafeInteger(value) || (value as number) <= 0) {
    throw new TypeError(`The \`${name}\` option must be a positive whole number of ${unit}.`)
  }
}
