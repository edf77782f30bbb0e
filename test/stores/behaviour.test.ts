import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { backends, newKid } from '../helpers/store-backends.js'
import type { Namespace, TestStore } from '../helpers/store-backends.js'

// One contract, every store: whatever backs it, the plugin sees the same answers.
for (const backend of backends) {
  describe(`${backend.name}: the store contract`, { skip: backend.skip }, () => {
    let namespace: Namespace
    let store: TestStore

    before(async () => {
      namespace = backend.namespace()
      store = await namespace.open()
    })

    after(async () => {
      await namespace.cleanup()
    })

    test('accepts the first nonce for a key and then any greater one', async () => {
      const kid = newKid()
      assert.equal(await store.advanceNonce(kid, 1), true)
      assert.equal(await store.advanceNonce(kid, 2), true)
      assert.equal(await store.advanceNonce(kid, 1000), true)
    })

    test('refuses a nonce equal to the last one accepted', async () => {
      const kid = newKid()
      assert.equal(await store.advanceNonce(kid, 5), true)
      assert.equal(await store.advanceNonce(kid, 5), false)
    })

    test('refuses a lower nonce, and the refusal does not lower the record', async () => {
      const kid = newKid()
      assert.equal(await store.advanceNonce(kid, 10), true)
      assert.equal(await store.advanceNonce(kid, 3), false)
      assert.equal(await store.advanceNonce(kid, 4), false)
      assert.equal(await store.advanceNonce(kid, 10), false)
      assert.equal(await store.advanceNonce(kid, 11), true)
    })

    test('keeps each key\'s nonce apart from the others', async () => {
      const first = newKid()
      const second = newKid()
      assert.equal(await store.advanceNonce(first, 100), true)
      assert.equal(await store.advanceNonce(second, 1), true)
      assert.equal(await store.advanceNonce(second, 100), true)
      assert.equal(await store.advanceNonce(first, 100), false)
      assert.equal(await store.advanceNonce(second, 100), false)
    })

    test('compares float seconds as Python clients send them, to the last digit', async () => {
      const kid = newKid()
      assert.equal(await store.advanceNonce(kid, 1444574357.156202), true)
      assert.equal(await store.advanceNonce(kid, 1444574357.156202), false)
      assert.equal(await store.advanceNonce(kid, 1444574357.1562), false)
      assert.equal(await store.advanceNonce(kid, 1444574357.156203), true)
      // The next double up: any rounding on the way to the store would make these equal.
      const next = 1444574357.156203 + 2 ** -22
      assert.notEqual(next, 1444574357.156203)
      assert.equal(await store.advanceNonce(kid, next), true)
      assert.equal(await store.advanceNonce(kid, next), false)
    })

    test('compares integer milliseconds as bitjws-js sends them', async () => {
      const kid = newKid()
      assert.equal(await store.advanceNonce(kid, 1444574357156), true)
      assert.equal(await store.advanceNonce(kid, 1444574357156), false)
      assert.equal(await store.advanceNonce(kid, 1444574357155), false)
      assert.equal(await store.advanceNonce(kid, 1444574357157), true)
      assert.equal(await store.advanceNonce(kid, Number.MAX_SAFE_INTEGER), true)
      assert.equal(await store.advanceNonce(kid, Number.MAX_SAFE_INTEGER), false)
    })

    test('orders a switch from seconds to milliseconds by value', async () => {
      const kid = newKid()
      assert.equal(await store.advanceNonce(kid, 1444574357.156202), true)
      assert.equal(await store.advanceNonce(kid, 1444574357156), true)
      assert.equal(await store.advanceNonce(kid, 1444574358.5), false)
    })

    test('accepts zero and negative nonces in order', async () => {
      const kid = newKid()
      assert.equal(await store.advanceNonce(kid, -1.5), true)
      assert.equal(await store.advanceNonce(kid, -2), false)
      assert.equal(await store.advanceNonce(kid, 0), true)
      assert.equal(await store.advanceNonce(kid, 0), false)
    })

    test('refuses NaN and infinities without recording them', async () => {
      const kid = newKid()
      assert.equal(await store.advanceNonce(kid, Number.NaN), false)
      assert.equal(await store.advanceNonce(kid, Number.POSITIVE_INFINITY), false)
      assert.equal(await store.advanceNonce(kid, Number.NEGATIVE_INFINITY), false)
      assert.equal(await store.advanceNonce(kid, 1), true)
      assert.equal(await store.advanceNonce(kid, Number.POSITIVE_INFINITY), false)
      assert.equal(await store.advanceNonce(kid, 2), true)
    })

    test('finds no user behind an unknown key', async () => {
      assert.equal(await store.getUserByKey(newKid()), null)
    })

    test('registers a user and finds it by key', async () => {
      const kid = newKid()
      const registered = await store.registerUser({ kid, username: 'alice' })
      assert.deepEqual(registered, { kid, username: 'alice' })
      assert.deepEqual(await store.getUserByKey(kid), { kid, username: 'alice' })
    })

    test('replaces the user registered for a key', async () => {
      const kid = newKid()
      const other = newKid()
      await store.registerUser({ kid, username: 'alice' })
      await store.registerUser({ kid: other, username: 'bob' })
      await store.registerUser({ kid, username: 'carol' })
      assert.deepEqual(await store.getUserByKey(kid), { kid, username: 'carol' })
      assert.deepEqual(await store.getUserByKey(other), { kid: other, username: 'bob' })
    })

    test('keeps only the name and key of a registered user', async () => {
      const kid = newKid()
      const extra = { kid, username: 'dave', admin: true }
      assert.deepEqual(await store.registerUser(extra), { kid, username: 'dave' })
      assert.deepEqual(await store.getUserByKey(kid), { kid, username: 'dave' })
    })

    test('stores names and keys byte for byte, quotes and all', async () => {
      const kid = `${newKid()}'; DROP TABLE x; --`
      const username = 'Zoë "the" O\'Brien 🐙'
      await store.registerUser({ kid, username })
      assert.deepEqual(await store.getUserByKey(kid), { kid, username })
      assert.equal(await store.advanceNonce(kid, 1), true)
      assert.equal(await store.advanceNonce(kid, 1), false)
    })

    test('users and nonces do not share a namespace', async () => {
      const kid = newKid()
      assert.equal(await store.advanceNonce(kid, 7), true)
      assert.equal(await store.getUserByKey(kid), null)
      await store.registerUser({ kid, username: 'erin' })
      assert.equal(await store.advanceNonce(kid, 7), false)
      assert.equal(await store.advanceNonce(kid, 8), true)
    })
  })
}
