import { test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify from 'fastify'
import { fastifyBitjws, generatePrivateKey, privateKeyToAddress, verify } from '../../lib/index.js'

test('reply.bitjws signs data for /response with the current status code', async () => {
  const privateKey = generatePrivateKey()
  const app = Fastify()
  await app.register(fastifyBitjws, { privateKey, responseExpiry: 120 })
  app.get('/created', async (_request, reply) => reply.code(201).bitjws({ id: 7 }))
  app.get('/nothing', async (_request, reply) => reply.bitjws(undefined, { expiry: 5 }))

  const before = Date.now() / 1000
  const created = await app.inject('/created')
  assert.equal(created.statusCode, 201)
  assert.equal(created.headers['content-type'], 'application/jose')
  assert.equal(created.headers['cache-control'], 'no-store')
  const { header, payload } = verify(created.body, { audience: '/response' })
  assert.equal(header.kid, privateKeyToAddress(privateKey))
  assert.deepEqual(payload.data, { id: 7 })
  assert.ok((payload.iat as number) >= before - 1)
  assert.ok(Math.abs((payload.exp as number) - (payload.iat as number) - 120) < 1e-6)

  const nothing = verify((await app.inject('/nothing')).body, { audience: '/response' })
  assert.equal(nothing.payload.data, null)
  assert.ok(Math.abs((nothing.payload.exp as number) - (nothing.payload.iat as number) - 5) < 1e-6)
  await app.close()
})

test('responseAudience changes the aud of replies', async () => {
  const app = Fastify()
  await app.register(fastifyBitjws, { responseAudience: '/v3/response' })
  app.get('/', async (_request, reply) => reply.bitjws('hi'))
  const body = (await app.inject('/')).body
  assert.equal(verify(body, { audience: '/v3/response' }).payload.data, 'hi')
  await app.close()
})

test('fastify.bitjws signs and verifies with the plugin\'s settings', async () => {
  const app = Fastify()
  await app.register(fastifyBitjws, { maxLifetime: 60 })
  await app.ready()
  const token = app.bitjws.sign({ aud: '/x', exp: Date.now() / 1000 + 30, iat: 1 })
  assert.equal(app.bitjws.verify(token, '/x').header.kid, app.bitjws.address)
  assert.throws(() => app.bitjws.verify(token, '/y'), { code: 'FST_BITJWS_AUDIENCE_MISMATCH' })
  const far = app.bitjws.sign({ aud: '/x', exp: Date.now() / 1000 + 600 })
  assert.throws(() => app.bitjws.verify(far, '/x'), { code: 'FST_BITJWS_LIFETIME_TOO_LONG' })
  await app.close()
})
