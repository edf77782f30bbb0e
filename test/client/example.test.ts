import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { buildExampleApp } from '../../example/app.js'
import { generatePrivateKey, privateKeyToAddress } from '../../lib/codec/index.js'
import { createClient } from '../../lib/client/index.js'
import { rejectsClient } from './helpers.js'

interface Started {
  app: FastifyInstance
  url: string
}

async function start (options: Parameters<typeof buildExampleApp>[0] = {}): Promise<Started> {
  const app = await buildExampleApp(options)
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  return { app, url }
}

async function register (url: string, username: string, wif: string): Promise<void> {
  const response = await fetch(url + '/user', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, kid: privateKeyToAddress(wif) })
  })
  assert.equal(response.status, 200, await response.text())
}

describe('client against the example app over HTTP', () => {
  const wif = generatePrivateKey()
  let server: Started

  before(async () => {
    server = await start()
    await register(server.url, 'alice', wif)
  })
  after(async () => { await server.app.close() })

  function aliceClient (): ReturnType<typeof createClient> {
    return createClient({
      baseUrl: server.url, privateKey: wif, serverAddress: server.app.bitjws.address
    })
  }

  test('a registered key gets its data echoed, signed by the server', async () => {
    const reply = await aliceClient().post('/echo', { hello: ['world', 1, null] })

    assert.equal(reply.status, 200)
    assert.deepEqual(reply.data, { hello: ['world', 1, null] })
    assert.equal(reply.header.kid, server.app.bitjws.address)
    assert.equal(reply.payload.aud, '/response')
  })

  test('the server sees the claims the client signed', async () => {
    const before = Date.now()
    const { data } = await aliceClient().post<{
      jwsHeader: { kid: string }, jwsPayload: { aud: string, iat: number, exp: number }
    }>('/echodetails', 'x')

    assert.equal(data.jwsHeader.kid, privateKeyToAddress(wif))
    assert.equal(data.jwsPayload.aud, '/echodetails')
    assert.ok(Number.isInteger(data.jwsPayload.iat) && data.jwsPayload.iat >= before)
  })

  test('coins: post one, then list them without signing', async () => {
    const client = aliceClient()
    const { data: coin } = await client.post('/coin', { metal: 'gold', mint: 'Perth' })
    assert.deepEqual(coin, { id: 1, metal: 'gold', mint: 'Perth', owner: 'alice' })

    const { data: coins } = await client.get('/coin')
    assert.deepEqual(coins, [coin])
  })

  test('a route error reaches the caller with its status', async () => {
    const error = await rejectsClient(aliceClient().post('/coin', { metal: 'tin' }),
      'ERR_BITJWS_CLIENT_HTTP', 400,
      'The server answered 400: data must carry the strings metal and mint')
    assert.equal((error.body as { error: string }).error, 'Bad Request')
  })

  test('many requests at once from one key all pass the nonce check', async () => {
    // Sent side by side, requests travel on several connections and can overtake
    // each other, and the server refuses the overtaken ones as stale.
    const client = aliceClient()
    const sent = Array.from({ length: 60 }, (_, index) => 'x'.repeat((index % 7) * 6000))
    const replies = await Promise.all(sent.map(data => client.post('/echo', data)))
    assert.deepEqual(replies.map(({ data }) => data), sent)
  })

  test('the same signed request sent twice is refused the second time', async () => {
    const sent: string[] = []
    const recording = createClient({
      baseUrl: server.url,
      privateKey: wif,
      fetch: async (input, init) => {
        sent.push(String(init?.body))
        return await fetch(input, init)
      }
    })
    await recording.post('/echo', 'once')

    const replay = await fetch(server.url + '/echo', {
      method: 'POST', headers: { 'content-type': 'application/jose' }, body: sent[0] ?? ''
    })
    assert.equal(replay.status, 401)
    const body = await replay.json() as { code: string, message: string }
    assert.equal(body.code, 'FST_BITJWS_NONCE_STALE')
    assert.equal(body.message, 'The bitjws nonce is not newer than the last one accepted')
  })

  test('an unregistered key gets a 401 with the server code', async () => {
    const stranger = createClient({ baseUrl: server.url, privateKey: generatePrivateKey() })
    const error = await rejectsClient(stranger.post('/echo', 1), 'ERR_BITJWS_CLIENT_HTTP', 401,
      'The server answered 401 FST_BITJWS_UNKNOWN_KEY: ' +
      'The bitjws key id belongs to no known user')
    assert.equal(error.serverCode, 'FST_BITJWS_UNKNOWN_KEY')
    assert.deepEqual(error.body, {
      statusCode: 401,
      code: 'FST_BITJWS_UNKNOWN_KEY',
      error: 'Unauthorized',
      message: 'The bitjws key id belongs to no known user'
    })
  })

  test('a body over the limit is a 413 with the server code', async () => {
    const error = await rejectsClient(aliceClient().post('/echo', 'x'.repeat(70_000)),
      'ERR_BITJWS_CLIENT_HTTP', 413,
      'The server answered 413 FST_BITJWS_BODY_TOO_LARGE: ' +
      'The bitjws message is larger than this server accepts')
    assert.equal(error.serverCode, 'FST_BITJWS_BODY_TOO_LARGE')
  })

  test('a request signed for another path is refused', async () => {
    const misrouted = createClient({ baseUrl: server.url, basePath: '/v2', privateKey: wif })
    const error = await rejectsClient(misrouted.post('/echo'), 'ERR_BITJWS_CLIENT_HTTP', 401,
      /^The server answered 401 FST_BITJWS_AUDIENCE_MISMATCH: /)
    assert.equal(error.serverCode, 'FST_BITJWS_AUDIENCE_MISMATCH')
  })

  test('a reply signed by another server is refused when the server is pinned', async () => {
    const impostor = await start()
    try {
      const pinned = createClient({
        baseUrl: impostor.url, privateKey: wif, serverAddress: server.app.bitjws.address
      })
      await rejectsClient(pinned.get('/coin'), 'ERR_BITJWS_CLIENT_SERVER_MISMATCH', 200,
        `The reply was signed by ${impostor.app.bitjws.address}, ` +
        `not by the pinned ${server.app.bitjws.address}`)
    } finally {
      await impostor.app.close()
    }
  })

  test('a server behind a path prefix: basePath makes aud match', async () => {
    const prefixed = await start({ basePath: '/v3' })
    try {
      await register(prefixed.url, 'bob', wif)
      const client = createClient({ baseUrl: prefixed.url, basePath: '/v3', privateKey: wif })
      assert.equal((await client.post('/echo', 'through the proxy')).data, 'through the proxy')
    } finally {
      await prefixed.app.close()
    }
  })
})
