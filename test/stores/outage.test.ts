import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createPostgresStore } from '../../lib/stores/postgres.js'
import { createRedisStore } from '../../lib/stores/redis.js'
import { StoreUnavailableError } from '../../lib/stores/store.js'
import {
  DATABASE_URL, eventually, newKid, postgresNamespace, postgresSkip, REDIS_URL, redisNamespace,
  redisSkip, targetOf, withPort
} from '../helpers/store-backends.js'
import type { Namespace, TestStore } from '../helpers/store-backends.js'
import { closedPort, TcpProxy } from '../helpers/tcp-proxy.js'
import { buildExampleApp } from '../../example/app.js'
import { TestUser } from '../helpers/listen.js'

// Short timeouts keep the suite fast; the bound leaves room for a slow, busy machine.
const TIMEOUTS = { connectTimeout: 500 }
const BOUND = 2500

interface OutageSetup {
  name: string
  skip: string | false
  /** The real server's URL, from the environment. */
  url: () => string
  defaultPort: number
  namespace: (url: string) => Namespace
  connect: (url: string) => Promise<unknown>
}

const setups: OutageSetup[] = [
  {
    name: 'RedisStore',
    skip: redisSkip,
    url: () => REDIS_URL as string,
    defaultPort: 6379,
    namespace: (url) => redisNamespace({
      url, ...TIMEOUTS, commandTimeout: 500, maxReconnectDelay: 100
    }),
    connect: (url) => createRedisStore({ url, ...TIMEOUTS })
  },
  {
    name: 'PostgresStore',
    skip: postgresSkip,
    url: () => DATABASE_URL as string,
    defaultPort: 5432,
    namespace: (url) => postgresNamespace({ url, ...TIMEOUTS, queryTimeout: 500 }),
    connect: (url) => createPostgresStore({ url, ...TIMEOUTS })
  }
]

/** Runs every kind of call at once and checks that each one rejects, in bounded time. */
async function assertAllUnavailable (
  store: TestStore, kid: string, nonces: number[]
): Promise<void> {
  const started = Date.now()
  const outcomes = await Promise.allSettled([
    ...nonces.map((nonce) => store.advanceNonce(kid, nonce)),
    store.getUserByKey(kid),
    store.registerUser({ kid, username: 'mallory' })
  ])

  for (const outcome of outcomes) {
    assert.equal(outcome.status, 'rejected', 'a call succeeded while the store was unreachable')
    assert.ok(outcome.reason instanceof StoreUnavailableError, String(outcome.reason))
    assert.equal(outcome.reason.code, 'ERR_BITJWS_STORE_UNAVAILABLE')
    assert.notEqual(outcome.reason.cause, undefined)
  }
  assert.ok(Date.now() - started < BOUND, `the calls took ${Date.now() - started} ms`)
}

for (const setup of setups) {
  describe(`${setup.name}: outages`, { skip: setup.skip }, () => {
    let proxy: TcpProxy
    let namespace: Namespace
    let store: TestStore

    before(async () => {
      proxy = await TcpProxy.start(targetOf(setup.url(), setup.defaultPort))
      namespace = setup.namespace(withPort(setup.url(), proxy.port))
      store = await namespace.open()
    })

    after(async () => {
      await proxy.open()
      await namespace.cleanup()
      await proxy.close()
    })

    test('a server that is not there fails the factory fast', async () => {
      const url = withPort(setup.url(), await closedPort())
      const started = Date.now()
      await assert.rejects(setup.connect(url), (error: unknown) => {
        assert.ok(error instanceof StoreUnavailableError)
        assert.match(error.message, /could not connect/)
        assert.notEqual(error.cause, undefined)
        return true
      })
      assert.ok(Date.now() - started < BOUND, `it took ${Date.now() - started} ms`)
    })

    test('the server goes away: every call rejects, and after it returns no nonce replays',
      async () => {
        const kid = newKid()
        await store.registerUser({ kid, username: 'alice' })
        assert.equal(await store.advanceNonce(kid, 1), true)

        await proxy.close()
        await assertAllUnavailable(store, kid, [2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
        // Again while the client is busy reconnecting, not only at the moment of the drop.
        await new Promise((resolve) => setTimeout(resolve, 250))
        await assertAllUnavailable(store, kid, [12, 13, 14])

        await proxy.open()
        const user = await eventually(() => store.getUserByKey(kid))
        assert.deepEqual(user, { kid, username: 'alice' })
        assert.equal(await store.advanceNonce(kid, 1), false)
        assert.equal(await store.advanceNonce(kid, 100), true)
        assert.equal(await store.advanceNonce(kid, 100), false)
      })

    test('over HTTP: every request in an outage is a 503, and no replay gets in after it',
      async () => {
        const app = await buildExampleApp({ store })
        const url = await app.listen({ port: 0, host: '127.0.0.1' })
        const post = async (body: string) => {
          const response = await fetch(url + '/echo', {
            method: 'POST', headers: { 'content-type': 'application/jose' }, body
          })
          const reply = await response.json().catch(() => ({})) as { code?: string }
          return { status: response.status, code: reply.code }
        }
        try {
          const alice = new TestUser()
          await store.registerUser({ kid: alice.kid, username: 'alice' })
          const accepted = alice.message('/echo')
          assert.equal((await post(accepted)).status, 200)

          await proxy.close()
          const during = [alice.message('/echo'), alice.message('/echo'), accepted]
          const outcomes = await Promise.all([...during, ...during].map(post))
          for (const outcome of outcomes) {
            assert.deepEqual(outcome, { status: 503, code: 'FST_BITJWS_STORE_UNAVAILABLE' })
          }

          await proxy.open()
          await eventually(() => store.getUserByKey(alice.kid))
          assert.deepEqual(await post(accepted), { status: 401, code: 'FST_BITJWS_NONCE_STALE' })
          assert.equal((await post(during[1] as string)).status, 200)
          assert.deepEqual(await post(during[0] as string),
            { status: 401, code: 'FST_BITJWS_NONCE_STALE' })
        } finally {
          await app.close()
        }
      })

    test('the network stalls: calls time out, and the store recovers on its own', async () => {
      const kid = newKid()
      assert.equal(await store.advanceNonce(kid, 1), true)

      proxy.stall()
      await assertAllUnavailable(store, kid, [2, 3])

      proxy.resume()
      await eventually(() => store.getUserByKey(kid))
      assert.equal(await store.advanceNonce(kid, 1), false)
      assert.equal(await store.advanceNonce(kid, 100), true)
    })
  })
}
