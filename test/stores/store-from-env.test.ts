import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import pg from 'pg'
import { createStoreFromUrl } from '../../example/store-from-env.js'
import { MemoryStore } from '../../lib/stores/memory.js'
import { PostgresStore } from '../../lib/stores/postgres.js'
import { RedisStore } from '../../lib/stores/redis.js'
import {
  DATABASE_URL, postgresSkip, REDIS_URL, redisSkip, uniqueName
} from '../helpers/store-backends.js'

describe('createStoreFromUrl', () => {
  for (const value of [undefined, '', 'memory']) {
    test(`${JSON.stringify(value)} gives the memory store`, async () => {
      assert.ok(await createStoreFromUrl(value) instanceof MemoryStore)
    })
  }

  for (const [value, found] of [
    ['mysql://root:hunter2@db/app', 'a mysql: URL'],
    ['memcached://cache', 'a memcached: URL'],
    ['Memory', 'a value that is not a URL'],
    ['127.0.0.1:6379', 'a value that is not a URL']
  ]) {
    test(`${JSON.stringify(value)} is refused, naming BITJWS_STORE`, async () => {
      await assert.rejects(createStoreFromUrl(value), (error: unknown) => {
        assert.ok(error instanceof Error)
        assert.equal(error.message, `BITJWS_STORE must be unset, "memory", a redis:// or rediss:// URL, or a postgres:// or postgresql:// URL; it is ${found}.`)
        assert.doesNotMatch(error.message, /hunter2/)
        return true
      })
    })
  }

  test('a redis:// URL gives a Redis store', { skip: redisSkip }, async () => {
    const store = await createStoreFromUrl(REDIS_URL)
    try {
      assert.ok(store instanceof RedisStore)
    } finally {
      await store.close?.()
    }
  })

  test('a postgres:// URL gives a PostgreSQL store with its tables', { skip: postgresSkip },
    async () => {
      // A schema of its own, first on the search path, so the default table
      // names this creates never meet another run's.
      const schema = `bitjws_test_${uniqueName()}`
      const url = new URL(DATABASE_URL as string)
      url.searchParams.set('options', `-c search_path=${schema}`)
      const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 })
      await pool.query(`CREATE SCHEMA "${schema}"`)
      try {
        const store = await createStoreFromUrl(url.href)
        try {
          assert.ok(store instanceof PostgresStore)
          const { rows } = await pool.query(
            'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1',
            [schema])
          assert.deepEqual(rows, [{ table_name: 'bitjws_nonces' }, { table_name: 'bitjws_users' }])
        } finally {
          await store.close?.()
        }
      } finally {
        await pool.query(`DROP SCHEMA "${schema}" CASCADE`)
        await pool.end()
      }
    })
})
