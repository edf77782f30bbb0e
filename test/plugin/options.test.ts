import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import Fastify from 'fastify'
import sensible from '@fastify/sensible'
import { MemoryStore, fastifyBitjws, generatePrivateKey, privateKeyToAddress } from '../../lib/index.js'
import type { FastifyBitjwsOptions } from '../../lib/index.js'

async function register (options: unknown): Promise<void> {
  const app = Fastify()
  try {
    await app.register(fastifyBitjws, options as FastifyBitjwsOptions)
    await app.ready()
  } finally {
    await app.close()
  }
}

describe('option checks at registration', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['privateKey', { privateKey: 'not a key' }, /^The `privateKey` option must be a WIF string/],
    ['privateKey bytes', { privateKey: new Uint8Array(32) }, /`privateKey` option/],
    ['getUserByKey', { getUserByKey: 'users' }, /^The `getUserByKey` option must be an async/],
    ['advanceNonce', { advanceNonce: 1 }, /^The `advanceNonce` option must be an async/],
    ['audience', { audience: '/x' }, /^The `audience` option must be an async function/],
    ['store', { store: {} }, /^The `store` option must have getUserByKey and advanceNonce/],
    ['basePath', { basePath: 'v3' }, /^The `basePath` option must be ''/],
    ['basePath slash', { basePath: '/v3/' }, /^The `basePath` option/],
    ['clockTolerance', { clockTolerance: -1 }, /^The `clockTolerance` option must be a finite/],
    ['responseExpiry', { responseExpiry: 0 }, /^The `responseExpiry` option must be a finite/],
    ['maxLifetime', { maxLifetime: Infinity }, /^The `maxLifetime` option/],
    ['networks', { networks: ['regtest'] }, /^The `networks` option must be a non-empty array/],
    ['networks empty', { networks: [] }, /^The `networks` option/],
    ['responseAudience', { responseAudience: 5 }, /^The `responseAudience` option must be a string/],
    ['bodyLimit', { bodyLimit: 1.5 }, /^The `bodyLimit` option must be a positive integer/],
    ['decorators', { decorators: { user: 'not-valid' } }, /^The `decorators.user` option/],
    ['decorators clash', { decorators: { user: 'jwsHeader' } }, /three different properties/]
  ]
  for (const [name, options, message] of cases) {
    test(`a wrong ${name} fails register() with a TypeError naming it`, async () => {
      await assert.rejects(register(options), (error: Error) => {
        assert.ok(error instanceof TypeError, `${error.name}: ${error.message}`)
        assert.match(error.message, message)
        return true
      })
    })
  }

  test('maxLifetime may not exceed a store\'s nonceTtl', async () => {
    const store = Object.assign(new MemoryStore(), { nonceTtl: 600 })
    await assert.rejects(register({ store, maxLifetime: 601 }),
      /^TypeError: The `maxLifetime` option must not exceed the store's nonceTtl/)
    await register({ store, maxLifetime: 600 })
  })
})

describe('registration', () => {
  function capture (): { lines: Array<{ level: number, msg: string }>, stream: Writable } {
    const lines: Array<{ level: number, msg: string }> = []
    const stream = new Writable({
      write (chunk, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()))
        done()
      }
    })
    return { lines, stream }
  }

  test('logs the signing address, and warns of an ephemeral key and a memory store', async () => {
    const { lines, stream } = capture()
    const app = Fastify({ logger: { stream, level: 'info' } })
    await app.register(fastifyBitjws)
    await app.ready()
    await app.close()

    assert.ok(lines.some((line) => line.msg.includes(app.bitjws.address)))
    const warnings = lines.filter((line) => line.level === 40).map((line) => line.msg)
    assert.equal(warnings.length, 2)
    assert.match(warnings[0] as string, /random key/)
    assert.match(warnings[1] as string, /memory/)
  })

  test('a given key and both hooks log no warning, and no key material', async () => {
    const { lines, stream } = capture()
    const privateKey = generatePrivateKey()
    const app = Fastify({ logger: { stream, level: 'info' } })
    await app.register(fastifyBitjws, {
      privateKey, getUserByKey: async () => null, advanceNonce: async () => false
    })
    await app.ready()
    await app.close()

    assert.equal(app.bitjws.address, privateKeyToAddress(privateKey))
    assert.equal(app.bitjws.store, undefined)
    assert.equal(lines.filter((line) => line.level >= 40).length, 0)
    assert.ok(!JSON.stringify(lines).includes(privateKey))
  })

  test('works whether or not the application registered @fastify/sensible first', async () => {
    const before = Fastify()
    await before.register(sensible)
    await before.register(fastifyBitjws)
    await before.ready()
    await before.close()

    const alone = Fastify()
    await alone.register(fastifyBitjws)
    await alone.ready()
    assert.equal(typeof alone.httpErrors.unauthorized, 'function')
    await alone.close()
  })

  test('touches no other content-type parser', async () => {
    const app = Fastify()
    await app.register(fastifyBitjws)
    app.post('/json', async (request) => request.body)
    const response = await app.inject({ method: 'POST', url: '/json', payload: { a: 1 } })
    assert.deepEqual(response.json(), { a: 1 })
    assert.ok(app.hasContentTypeParser('application/json'))
    await app.close()
  })

  test('closes a store it created, and leaves a given one open', async () => {
    let closed = 0
    const store = Object.assign(new MemoryStore(), { close: async () => { closed++ } })
    const app = Fastify()
    await app.register(fastifyBitjws, { store })
    await app.ready()
    await app.close()
    assert.equal(closed, 0)
  })
})
