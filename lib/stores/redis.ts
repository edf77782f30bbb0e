import { createHash } from 'node:crypto'
import type { Redis, RedisOptions } from 'ioredis'
import { loadPeer } from './load-peer.js'
import { StoreUnavailableError } from './store.js'
import type { BitjwsStore, StoredUser } from './store.js'

export interface RedisStoreOptions {
  /**
   * Prepended to every key the store writes, so several apps can share one
   * Redis. Default `'bitjws:'`.
   */
  prefix?: string
  /**
   * Seconds after its last advance that a key's nonce record expires. Default: never.
   * Once a record expires, every message that key ever signed is accepted once more,
   * so messages must expire (`exp`) sooner than this.
   */
  nonceTtl?: number
  /** Whether `close()` disconnects the client. Default false: the caller owns the client. */
  closeClient?: boolean
}

export interface CreateRedisStoreOptions extends RedisStoreOptions {
  /** A `redis://` or `rediss://` URL; the store makes its own client, and closes it. */
  url?: string
  /** A ready ioredis client, used as given; configure it to fail fast (see the README). */
  client?: Redis
  /** Milliseconds to wait for a connection to open. Default 2000. Ignored with `client`. */
  connectTimeout?: number
  /** Milliseconds to wait for any one reply. Default 1000. Ignored with `client`. */
  commandTimeout?: number
  /** Longest pause in milliseconds between reconnection attempts. Default 1000. */
  maxReconnectDelay?: number
}

/*
 * Compares and sets in one step: Redis runs a script without interleaving any
 * other command, so two copies of one message cannot both pass. The nonce is
 * kept as the decimal text JavaScript printed for it; tonumber parses it back
 * into the same double, so Redis compares exactly what the caller compared.
 * A record that is not a number makes tonumber return nil and the comparison
 * raise an error: the store then refuses to answer instead of guessing.
 */
const ADVANCE_NONCE_SCRIPT = `
local last = redis.call('GET', KEYS[1])
if last and tonumber(ARGV[1]) <= tonumber(last) then
  return 0
end
if ARGV[2] == '0' then
  redis.call('SET', KEYS[1], ARGV[1])
else
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
end
return 1
`
const ADVANCE_NONCE_SHA = createHash('sha1').update(ADVANCE_NONCE_SCRIPT).digest('hex')

/**
 * Users and nonces in Redis, shared by every process that uses the same server
 * and prefix. Keys: `<prefix>user:<kid>` (a hash with `kid` and `username`) and
 * `<prefix>nonce:<kid>` (the last accepted nonce as decimal text).
 *
 * Every failure rejects with `StoreUnavailableError`, the original error as `cause`.
 */
export class RedisStore implements BitjwsStore<StoredUser> {
  readonly prefix: string
  /** Seconds a nonce record lives after its last advance, or undefined when it never expires. */
  readonly nonceTtl: number | undefined
  readonly #client: Redis
  readonly #closeClient: boolean

  constructor (client: Redis, options: RedisStoreOptions = {}) {
    const { prefix = 'bitjws:', nonceTtl, closeClient = false } = options
    checkStoreOptions(prefix, nonceTtl)
    if (typeof client !== 'object' || client === null || typeof client.evalsha !== 'function') {
      throw new TypeError('The `client` option must be an ioredis client.')
    }

    this.#client = client
    this.prefix = prefix
    this.nonceTtl = nonceTtl
    this.#closeClient = closeClient
  }

  async getUserByKey (kid: string): Promise<StoredUser | null> {
    const fields = await this.#ask('look up a user', () => this.#client.hgetall(this.#userKey(kid)))
    if (typeof fields.username !== 'string') return null
    return { kid, username: fields.username }
  }

  async advanceNonce (kid: string, nonce: number): Promise<boolean> {
    // Lua cannot tell NaN or Infinity from a number it failed to parse; never send them.
    if (!Number.isFinite(nonce)) return false

    const key = this.#nonceKey(kid)
    const args = [String(nonce), String(this.nonceTtl ?? 0)]
    const reply = await this.#ask('advance a nonce', async () => {
      try {
        return await this.#client.evalsha(ADVANCE_NONCE_SHA, 1, key, ...args)
      } catch (error) {
        // After a restart or SCRIPT FLUSH the server no longer knows the script;
        // EVAL sends it along and caches it again for the next EVALSHA.
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error
        return await this.#client.eval(ADVANCE_NONCE_SCRIPT, 1, key, ...args)
      }
    })

    if (reply === 1) return true
    if (reply === 0) return false
    throw new StoreUnavailableError('The Redis store gave an unexpected reply to a nonce advance', {
      cause: reply
    })
  }

  async registerUser (user: StoredUser): Promise<StoredUser> {
    const stored = { kid: user.kid, username: user.username }
    // Both fields are written every time, so the hash never keeps a part of an older user.
    await this.#ask('register a user', () => this.#client.hset(this.#userKey(stored.kid), stored))
    return stored
  }

  /** Disconnects the client if the store made it (or `closeClient` says so). */
  async close (): Promise<void> {
    if (!this.#closeClient || this.#client.status === 'end') return
    if (this.#client.status === 'ready') {
      try {
        await this.#client.quit()
        return
      } catch {
        // The server went away while closing; dropping the socket is all that is left to do.
      }
    }
    this.#client.disconnect()
  }

  #userKey (kid: string): string {
    return `${this.prefix}user:${kid}`
  }

  #nonceKey (kid: string): string {
    return `${this.prefix}nonce:${kid}`
  }

  async #ask<T> (what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (error) {
      throw new StoreUnavailableError(`The Redis store could not ${what}`, { cause: error })
    }
  }
}

/**
 * Connects to Redis and resolves with a store once the server answers; rejects
 * with `StoreUnavailableError` when it does not. With `url`, the client is made
 * to fail fast: no offline queue, no resending after a dropped connection, and
 * bounded connect and reply times, so an outage turns into prompt errors
 * (503s) rather than requests hanging; it reconnects by itself in the background.
 *
 * ioredis is an optional peer dependency, loaded only here.
 */
export async function createRedisStore (options: CreateRedisStoreOptions): Promise<RedisStore> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('The options of createRedisStore must be an object.')
  }
  const { url, client, connectTimeout = 2000, commandTimeout = 1000, maxReconnectDelay = 1000 } =
    options
  const storeOptions: RedisStoreOptions = { closeClient: options.closeClient ?? false }
  if (options.prefix !== undefined) storeOptions.prefix = options.prefix
  if (options.nonceTtl !== undefined) storeOptions.nonceTtl = options.nonceTtl
  checkStoreOptions(storeOptions.prefix ?? 'bitjws:', storeOptions.nonceTtl)

  if (client !== undefined) {
    if (url !== undefined) {
      throw new TypeError('Pass either the `url` or the `client` option, not both.')
    }
    return new RedisStore(client, storeOptions)
  }
  if (typeof url !== 'string' || !/^rediss?:\/\//i.test(url)) {
    throw new TypeError('The `url` option must be a redis:// or rediss:// URL.')
  }
  checkMilliseconds('connectTimeout', connectTimeout)
  checkMilliseconds('commandTimeout', commandTimeout)
  checkMilliseconds('maxReconnectDelay', maxReconnectDelay)

  const { Redis } = await loadPeer(() => import('ioredis'), 'ioredis', 'Redis')
  const clientOptions: RedisOptions = {
    lazyConnect: true,
    enableOfflineQueue: false,
    // Zero: a command in flight when the connection drops is rejected at once,
    // never sent again later, when its caller has long been answered.
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    connectTimeout,
    commandTimeout,
    retryStrategy: (attempt) => Math.min(attempt * 100, maxReconnectDelay)
  }
  const created = new Redis(url, clientOptions)

  // Callers learn of an outage from their rejected calls. The listener keeps
  // ioredis from printing every failed reconnection, and keeps the last error
  // as the cause should the first connection fail.
  let lastError: unknown
  created.on('error', (error: unknown) => { lastError = error })

  try {
    await created.connect()
  } catch (error) {
    created.disconnect()
    throw new StoreUnavailableError('The Redis store could not connect', {
      cause: lastError ?? error
    })
  }

  return new RedisStore(created, { ...storeOptions, closeClient: options.closeClient ?? true })
}

function checkStoreOptions (prefix: unknown, nonceTtl: unknown): void {
  if (typeof prefix !== 'string') {
    throw new TypeError('The `prefix` option must be a string.')
  }
  if (nonceTtl !== undefined && (!Number.isSafeInteger(nonceTtl) || (nonceTtl as number) <= 0)) {
    throw new TypeError('The `nonceTtl` option must be a positive whole number of seconds.')
  }
}

function checkMilliseconds (name: string, value: unknown): void {
  if (!Number.isSafeInteger(value) || (value as number) <= 0) {
    throw new TypeError(`The \`${name}\` option must be a positive whole number of milliseconds.`)
  }
}
