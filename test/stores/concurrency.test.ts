import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import {
  memoryNamespace, newKid, postgresNamespace, postgresSkip, redisNamespace, redisSkip
} from '../helpers/store-backends.js'
import type { Namespace, TestStore } from '../helpers/store-backends.js'

const COPIES = 200

/*
 * Several stores on one namespace stand for several server processes: each
 * Redis store has its own connection and each PostgreSQL store its own pool, so
 * the copies really reach the server at the same time, not one after another
 * on a single socket.
 */
interface Setup {
  name: string
  skip: string | false
  stores: number
  make: () => Namespace
}

const setups: Setup[] = [
  { name: 'MemoryStore', skip: false, stores: 1, make: memoryNamespace },
  { name: 'RedisStore', skip: redisSkip, stores: 8, make: () => redisNamespace() },
  {
    name: 'PostgresStore',
    skip: postgresSkip,
    stores: 4,
    make: () => postgresNamespace({ maxConnections: 4, connectTimeout: 10_000 })
  }
]

/** Runs the calls at once; a rejection fails the test with its cause, which the report omits. */
async function allAtOnce (calls: Array<() => Promise<boolean>>): Promise<boolean[]> {
  const outcomes = await Promise.allSettled(calls.map((call) => call()))
  return outcomes.map((outcome) => {
    if (outcome.status === 'fulfilled') return outcome.value
    const { message, cause } = outcome.reason as Error
    throw new Error(`${message}: ${String(cause)}`, { cause: outcome.reason })
  })
}

for (const setup of setups) {
  describe(`${setup.name}: concurrent advances`, { skip: setup.skip }, () => {
    let namespace: Namespace
    let stores: TestStore[]

    before(async () => {
      namespace = setup.make()
      stores = []
      for (let i = 0; i < setup.stores; i++) stores.push(await namespace.open())
    })

    after(async () => {
      await namespace.cleanup()
    })

    test(`${COPIES} copies of one nonce on a new key: exactly one is accepted`, async () => {
      const kid = newKid()
      const results = await allAtOnce(Array.from({ length: COPIES }, (_, i) => () =>
        stores[i % stores.length].advanceNonce(kid, 1444574357.156202)))

      assert.equal(results.filter(Boolean).length, 1)
      assert.equal(await stores[0].advanceNonce(kid, 1444574357.156202), false)
    })

    test(`${COPIES} copies of one nonce on a known key: exactly one is accepted`, async () => {
      const kid = newKid()
      assert.equal(await stores[0].advanceNonce(kid, 1000), true)
      const results = await allAtOnce(Array.from({ length: COPIES }, (_, i) => () =>
        stores[i % stores.length].advanceNonce(kid, 1001)))

      assert.equal(results.filter(Boolean).length, 1)
    })

    test('racing different nonces never lowers the record below the greatest', async () => {
      const kid = newKid()
      const nonces = Array.from({ length: COPIES }, (_, i) => 1_700_000_000_000 + i)
      nonces.sort(() => Math.random() - 0.5)
      const results = await allAtOnce(nonces.map((nonce, i) => () =>
        stores[i % stores.length].advanceNonce(kid, nonce)))

      assert.ok(results.filter(Boolean).length >= 1)
      const greatest = 1_700_000_000_000 + COPIES - 1
      assert.equal(results[nonces.indexOf(greatest)], true)
      for (const store of stores) assert.equal(await store.advanceNonce(kid, greatest), false)
      assert.equal(await stores[0].advanceNonce(kid, greatest + 1), true)
    })
  })
}
