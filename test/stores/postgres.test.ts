import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import pg from 'pg'
import { createPostgresStore, PostgresStore } from '../../lib/stores/postgres.js'
import { StoreUnavailableError } from '../../lib/stores/store.js'
import {
  DATABASE_URL, dropTables, newKid, postgresNamespace, postgresSkip, uniqueName
} from '../helpers/store-backends.js'

const IDENTIFIER_MESSAGE = 'option must be an SQL identifier (letters, digits and underscores, not starting with a digit, at most 63 characters), optionally schema-qualified.'

describe('PostgresStore: options', () => {
  const pool = { query: async () => ({ rows: [] }) } as unknown as pg.Pool

  for (const option of ['usersTable', 'noncesTable'] as const) {
    for (const name of ['', 'users; DROP TABLE x', '1users', 'a"b', 'a.b.c', 'x'.repeat(64), 7]) {
      test(`refuses ${option} ${JSON.stringify(name)}`, async () => {
        const message = `The \`${option}\` ${IDENTIFIER_MESSAGE}`
        assert.throws(() => new PostgresStore(pool, { [option]: name }), {
          name: 'TypeError', message
        })
        await assert.rejects(createPostgresStore({ url: 'postgres://x', [option]: name }), {
          name: 'TypeError', message
        })
      })
    }
  }

  test('accepts plain, schema-qualified and reserved-word table names', () => {
    const store = new PostgresStore(pool, { usersTable: 'auth.user', noncesTable: 'Order_2' })
    assert.equal(store.usersTable, 'auth.user')
    assert.equal(store.noncesTable, 'Order_2')
  })

  for (const url of [undefined, '', 'redis://127.0.0.1', 'mysql://x']) {
    test(`refuses the url ${JSON.stringify(url)}`, async () => {
      await assert.rejects(createPostgresStore(url === undefined ? {} : { url }), {
        name: 'TypeError',
        message: 'The `url` option must be a postgres:// or postgresql:// URL.'
      })
    })
  }

  test('refuses both a url and a pool', async () => {
    await assert.rejects(createPostgresStore({ url: 'postgres://x', pool }), {
      name: 'TypeError',
      message: 'Pass either the `url` or the `pool` option, not both.'
    })
  })

  for (const [name, unit] of [
    ['connectTimeout', 'milliseconds'], ['queryTimeout', 'milliseconds'],
    ['maxConnections', 'connections']
  ]) {
    test(`refuses a ${name} that is not a positive whole number`, async () => {
      await assert.rejects(createPostgresStore({ url: 'postgres://x', [name as string]: 0 }), {
        name: 'TypeError',
        message: `The \`${name}\` option must be a positive whole number of ${unit}.`
      })
    })
  }

  test('refuses a pool that is not a pg Pool', () => {
    assert.throws(() => new PostgresStore({} as pg.Pool), {
      name: 'TypeError',
      message: 'The `pool` option must be a pg Pool.'
    })
  })
})

describe('PostgresStore: on a database', { skip: postgresSkip }, () => {
  const namespace = postgresNamespace()
  let store: PostgresStore
  let pool: pg.Pool

  before(async () => {
    store = await namespace.open()
    pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 })
  })

  after(async () => {
    await pool.end()
    await namespace.cleanup()
  })

  test('migrate() creates the documented schema; running it again changes nothing', async () => {
    await store.migrate()
    const { rows } = await pool.query(`
      SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
      WHERE table_name IN ($1, $2) ORDER BY table_name, ordinal_position`,
    [namespace.usersTable, namespace.noncesTable])

    const column = (table: string, name: string, type: string): object =>
      ({ table_name: table, column_name: name, data_type: type, is_nullable: 'NO' })
    assert.deepEqual(rows, [
      column(namespace.noncesTable, 'kid', 'text'),
      column(namespace.noncesTable, 'nonce', 'double precision'),
      column(namespace.usersTable, 'kid', 'text'),
      column(namespace.usersTable, 'username', 'text')
    ])
  })

  test('many processes may migrate at once', async () => {
    const name = uniqueName()
    const tables = { usersTable: `bitjws_users_${name}`, noncesTable: `bitjws_nonces_${name}` }
    const stores = await Promise.all(Array.from({ length: 6 }, () =>
      createPostgresStore({ url: DATABASE_URL as string, ...tables, maxConnections: 1 })))
    try {
      await Promise.all(stores.map((each) => each.migrate()))
      assert.equal(await stores[0].advanceNonce(newKid(), 1), true)
    } finally {
      await Promise.all(stores.map((each) => each.close()))
      await dropTables(tables.usersTable, tables.noncesTable)
    }
  })

  test('keeps the nonce as the very double it was given', async () => {
    const kid = newKid()
    await store.advanceNonce(kid, 1444574357.156202)
    const table = `"${namespace.noncesTable}"`
    const { rows } = await pool.query(`SELECT nonce FROM ${table} WHERE kid = $1`, [kid])
    assert.deepEqual(rows, [{ nonce: 1444574357.156202 }])
  })

  test('a store without its tables fails calls, never passes them', async () => {
    const missing = await createPostgresStore({
      url: DATABASE_URL as string,
      usersTable: `missing_${uniqueName()}`,
      noncesTable: `missing_${uniqueName()}`
    })
    try {
      await assert.rejects(missing.advanceNonce(newKid(), 1), (error: unknown) => {
        assert.ok(error instanceof StoreUnavailableError)
        assert.equal(error.message, 'The PostgreSQL store could not advance a nonce')
        assert.match(String(error.cause), /does not exist/)
        return true
      })
      await assert.rejects(missing.getUserByKey(newKid()), StoreUnavailableError)
    } finally {
      await missing.close()
    }
  })

  test('a ready pool is used as given, and close() leaves it open', async () => {
    const given = await createPostgresStore({
      pool, usersTable: namespace.usersTable, noncesTable: namespace.noncesTable
    })
    const kid = newKid()
    assert.equal(await given.advanceNonce(kid, 1), true)
    assert.equal(await store.advanceNonce(kid, 1), false)
    await given.close()
    assert.deepEqual((await pool.query('SELECT 1 AS one')).rows, [{ one: 1 }])
  })

  test('close() ends a pool the store made', async () => {
    const own = await createPostgresStore({ url: DATABASE_URL as string })
    await own.close()
    await own.close()
    await assert.rejects(own.getUserByKey(newKid()), StoreUnavailableError)
  })
})
