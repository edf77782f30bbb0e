import { MemoryStore } from '../lib/stores/memory.js'
import { createPostgresStore } from '../lib/stores/postgres.js'
import { createRedisStore } from '../lib/stores/redis.js'
import type { BitjwsStore } from '../lib/stores/store.js'

/**
 * The store named by a BITJWS_STORE value: unset, empty or `memory` for the
 * in-process store; a `redis://` or `rediss://` URL for Redis; a `postgres://`
 * or `postgresql://` URL for PostgreSQL, whose tables are created if missing.
 */
export async function createStoreFromUrl (url: string | undefined): Promise<BitjwsStore> {
  if (url === undefined || url === '' || url === 'memory') return new MemoryStore()

  // Only the scheme is ever repeated back: the rest of a URL may hold a password.
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase()
  if (scheme === 'redis' || scheme === 'rediss') {
    return await createRedisStore({ url })
  }
  if (scheme === 'postgres' || scheme === 'postgresql') {
    const store = await createPostgresStore({ url })
    try {
      await store.migrate()
    } catch (error) {
      await store.close()
      throw error
    }
    return store
  }

  const found = scheme === undefined ? 'a value that is not a URL' : `a ${scheme}: URL`
  throw new Error(`BITJWS_STORE must be unset, "memory", a redis:// or rediss:// URL, or a postgres:// or postgresql:// URL; it is ${found}.`)
}
