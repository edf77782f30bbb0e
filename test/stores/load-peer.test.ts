import assert from 'node:assert/strict'
import { test } from 'node:test'
import { loadPeer } from '../../lib/stores/load-peer.js'

test('a missing peer dependency is named, with the import error as cause', async () => {
  const missing = new Error('Cannot find package')
  const loading = loadPeer(async () => { throw missing }, 'ioredis', 'Redis')
  await assert.rejects(loading, (error: unknown) => {
    assert.ok(error instanceof Error)
    assert.equal(error.message, 'The Redis store needs the ioredis package: npm install ioredis')
    assert.equal(error.cause, missing)
    return true
  })
})

test('a present peer dependency is returned as loaded', async () => {
  const module = { Pool: class {} }
  assert.equal(await loadPeer(async () => module, 'pg', 'PostgreSQL'), module)
})
