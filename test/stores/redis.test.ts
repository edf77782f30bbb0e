import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { Redis } from 'ioredis'
import { createRedisStore, RedisStore } from '../../lib/stores/redis.js'
import { StoreUnavailableError } from '../../lib/stores/store.js'
import {
  deleteRedisKeys, newKid, REDIS_URL, redisNamespace, redisSkip, uniqueName
} from '../helpers/store-backends.js'
import { closedPort } from '../helpers/tcp-proxy.js'

describe('RedisStore: options', () => {
  const client = {} as Redis

  test('refuses a prefix that is not a string', async () => {
    await assert.rejects(createRedisStore({ url: 'redis://127.0.0.1', prefix: 1 as never }), {
      name: 'TypeError',
      message: 'The `prefix` option must be a string.'
    })
  })

  for (const nonceTtl of [0, -1, 1.5, Number.NaN, '60']) {
    test(`refuses nonceTtl ${String(nonceTtl)}`, async () => {
      const creating = createRedisStore({ url: 'redis://127.0.0.1', nonceTtl: nonceTtl as never })
      await assert.rejects(creating, {
        name: 'TypeError',
        message: 'The `nonceTtl` option must be a positive whole number of seconds.'
      })
    })
  }

  for (const url of [undefined, '', 'http://127.0.0.1:6379', 'postgres://x']) {
    test(`refuses the url ${JSON.stringify(url)}`, async () => {
      await assert.rejects(createRedisStore(url === undefined ? {} : { url }), {
        name: 'TypeError',
        message: 'The `url` option must be a redis:// or rediss:// URL.'
      })
    })
  }

  test('refuses both a url and a client', async () => {
    const redis = new Redis({ lazyConnect: true })
    await assert.rejects(createRedisStore({ url: 'redis://127.0.0.1', client: redis }), {
      name: 'TypeError',
      message: 'Pass either the `url` or the `client` option, not both.'
    })
  })

  for (const name of ['connectTimeout', 'commandTimeout', 'maxReconnectDelay']) {
    test(`refuses a ${name} that is not a positive whole number`, async () => {
      await assert.rejects(createRedisStore({ url: 'redis://127.0.0.1', [name]: -5 }), {
        name: 'TypeError',
        message: `The \`${name}\` option must be a positive whole number of milliseconds.`
      })
    })
  }

  test('refuses a client that is not an ioredis client', () => {
    assert.throws(() => new RedisStore(client), {
      name: 'TypeError',
      message: 'The `client` option must be an ioredis client.'
    })
  })
})

describe('RedisStore: on a server', { skip: redisSkip }, () => {
  const namespace = redisNamespace({ nonceTtl: 60 })
  let store: RedisStore
  let redis: Redis

  before(async () => {
    store = await namespace.open()
    redis = new Redis(REDIS_URL as string)
  })

  after(async () => {
    await redis.quit()
    await namespace.cleanup()
  })

  test('writes only under its prefix, the nonce as JavaScript prints it', async () => {
    const kid = newKid()
    await store.advanceNonce(kid, 1444574357.156202)
    await store.registerUser({ kid, username: 'alice' })

    assert.equal(await redis.get(`${namespace.prefix}nonce:${kid}`), '1444574357.156202')
    assert.deepEqual(await redis.hgetall(`${namespace.prefix}user:${kid}`), {
      kid, username: 'alice'
    })
    const keys = await redis.keys(`*${kid}*`)
    const { prefix } = namespace
    assert.deepEqual(keys.sort(), [`${prefix}nonce:${kid}`, `${prefix}user:${kid}`])
  })

  test('two prefixes on one server keep apart', async () => {
    const other = redisNamespace()
    try {
      const otherStore = await other.open()
      const kid = newKid()
      assert.equal(await store.advanceNonce(kid, 5), true)
      assert.equal(await otherStore.advanceNonce(kid, 5), true)
      await store.registerUser({ kid, username: 'alice' })
      assert.equal(await otherStore.getUserByKey(kid), null)
    } finally {
      await other.cleanup()
    }
  })

  test('with nonceTtl, each accepted advance sets the record to expire', async () => {
    assert.equal(store.nonceTtl, 60)
    const kid = newKid()
    await store.advanceNonce(kid, 1)
    await redis.expire(`${namespace.prefix}nonce:${kid}`, 5)
    assert.equal(await store.advanceNonce(kid, 2), true)
    const ttl = await redis.ttl(`${namespace.prefix}nonce:${kid}`)
    assert.ok(ttl > 50 && ttl <= 60, `ttl is ${ttl}`)
  })

  test('a refused nonce does not extend the record\'s life', async () => {
    const kid = newKid()
    await store.advanceNonce(kid, 2)
    await redis.expire(`${namespace.prefix}nonce:${kid}`, 5)
    assert.equal(await store.advanceNonce(kid, 1), false)
    assert.ok(await redis.ttl(`${namespace.prefix}nonce:${kid}`) <= 5)
  })

  test('without nonceTtl, records never expire', async () => {
    const plain = redisNamespace()
    try {
      const plainStore = await plain.open()
      assert.equal(plainStore.nonceTtl, undefined)
      const kid = newKid()
      await plainStore.advanceNonce(kid, 1)
      assert.equal(await redis.ttl(`${plain.prefix}nonce:${kid}`), -1)
    } finally {
      await plain.cleanup()
    }
  })

  test('keeps working after the server forgets its scripts', async () => {
    const kid = newKid()
    assert.equal(await store.advanceNonce(kid, 1), true)
    await redis.script('FLUSH')
    assert.equal(await store.advanceNonce(kid, 2), true)
    assert.equal(await store.advanceNonce(kid, 2), false)
  })

  test('a record that is not a number makes advances fail, never pass', async () => {
    const kid = newKid()
    await redis.set(`${namespace.prefix}nonce:${kid}`, 'garbage')
    await assert.rejects(store.advanceNonce(kid, 1), (error: unknown) => {
      assert.ok(error instanceof StoreUnavailableError)
      assert.equal(error.message, 'The Redis store could not advance a nonce')
      assert.ok(error.cause instanceof Error)
      return true
    })
  })

  test('a ready client is used as given, and close() leaves it open', async () => {
    const client = new Redis(REDIS_URL as string)
    const prefix = `bitjws-test:${uniqueName()}:`
    try {
      const given = await createRedisStore({ client, prefix })
      const kid = newKid()
      assert.equal(await given.advanceNonce(kid, 1), true)
      assert.equal(await given.advanceNonce(kid, 1), false)
      await given.close()
      assert.equal(await client.ping(), 'PONG')
    } finally {
      await client.quit()
      await deleteRedisKeys(prefix)
    }
  })

  test('close() ends a client the store made', async () => {
    const own = redisNamespace()
    const ownStore = await own.open()
    await ownStore.close()
    await ownStore.close()
    await assert.rejects(ownStore.getUserByKey(newKid()), StoreUnavailableError)
    await own.cleanup()
  })

  test('a given client that cannot connect fails calls fast, never passes them', async () => {
    const port = await closedPort()
    const client = new Redis({
      port, lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null
    })
    client.on('error', () => {})
    const given = new RedisStore(client)
    const started = Date.now()
    await assert.rejects(given.advanceNonce(newKid(), 1), StoreUnavailableError)
    assert.ok(Date.now() - started < 1000)
    client.disconnect()
  })
})
