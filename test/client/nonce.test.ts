import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { generatePrivateKey, privateKeyToAddress } from '../../lib/codec/index.js'
import { createClient } from '../../lib/client/index.js'
import { nextNonce } from '../../lib/client/nonce.js'
import { claimsOf, replySigned, startFakeServer, type FakeServer } from './helpers.js'

let server: FakeServer
before(async () => { server = await startFakeServer() })
after(async () => { await server.close() })

test('a nonce is the time in milliseconds while the clock moves on', () => {
  const address = privateKeyToAddress(generatePrivateKey())
  assert.equal(nextNonce(address, 1_000), 1_000)
  assert.equal(nextNonce(address, 2_000.7), 2_000)
})

test('within one millisecond, nonces grow by one', () => {
  const address = privateKeyToAddress(generatePrivateKey())
  assert.deepEqual([5, 5, 5, 6, 3].map(now => nextNonce(address, now)), [5, 6, 7, 8, 9])
})

test('each address has its own sequence', () => {
  const first = privateKeyToAddress(generatePrivateKey())
  const second = privateKeyToAddress(generatePrivateKey())
  assert.equal(nextNonce(first, 10), 10)
  assert.equal(nextNonce(second, 10), 10)
})

test('the default clock is Date.now()', () => {
  const address = privateKeyToAddress(generatePrivateKey())
  const before = Date.now()
  const nonce = nextNonce(address)
  assert.ok(nonce >= before && nonce <= Date.now())
})

test('many requests at once from two clients with one key get distinct, ordered nonces',
  async () => {
    const wif = generatePrivateKey()
    const clients = [
      createClient({ baseUrl: server.url, privateKey: wif }),
      createClient({ baseUrl: server.url, privateKey: wif })
    ]
    server.requests.length = 0

    await Promise.all(Array.from({ length: 200 }, (_, index) =>
      clients[index % 2]?.post('/echo', index)))

    const nonces = server.requests.map(({ body }) => claimsOf(body).iat as number)
    assert.equal(nonces.length, 200)
    // One at a time, in call order: what the server receives only ever grows.
    for (let index = 1; index < nonces.length; index++) {
      assert.ok((nonces[index] as number) > (nonces[index - 1] as number))
    }
    assert.deepEqual(server.requests.map(({ body }) => claimsOf(body).data),
      Array.from({ length: 200 }, (_, index) => index))
  })

test('a request with one key waits for the answer to the one before', async () => {
  const wif = generatePrivateKey()
  const client = createClient({ baseUrl: server.url, privateKey: wif })
  const order: string[] = []
  const held: Array<() => void> = []
  server.handle((request, response) => {
    order.push('received ' + String(claimsOf(request.body).data))
    held.push(() => { replySigned(response, server.key, null) })
  })

  const first = client.post('/echo', 1)
  const second = client.post('/echo', 2)
  await waitUntil(() => held.length === 1)
  await delay(30)
  assert.deepEqual(order, ['received 1'])

  held[0]?.()
  await first
  await waitUntil(() => held.length === 2)
  held[1]?.()
  await second
  assert.deepEqual(order, ['received 1', 'received 2'])
})

test('a request aborted while waiting its turn is never sent, and frees the line', async () => {
  const wif = generatePrivateKey()
  const client = createClient({ baseUrl: server.url, privateKey: wif })
  const held: Array<() => void> = []
  server.requests.length = 0
  server.handle((_request, response) => {
    held.push(() => { replySigned(response, server.key, null) })
  })

  const first = client.post('/echo', 1)
  const waiting = client.post('/echo', 2, { timeout: 30 })
  const third = client.post('/echo', 3)
  await assert.rejects(waiting, { code: 'ERR_BITJWS_CLIENT_TIMEOUT' })
  assert.equal(server.requests.length, 1)

  held[0]?.()
  await first
  await waitUntil(() => held.length === 2)
  held[1]?.()
  await third
  assert.deepEqual(server.requests.map(({ body }) => claimsOf(body).data), [1, 3])
})

test('GET requests are unsigned and do not wait for signed ones', async () => {
  const wif = generatePrivateKey()
  const client = createClient({ baseUrl: server.url, privateKey: wif })
  let release: () => void = () => {}
  server.requests.length = 0
  server.handle((request, response) => {
    if (request.method === 'GET') replySigned(response, server.key, 'list')
    else release = () => { replySigned(response, server.key, 'posted') }
  })

  const posting = client.post('/coin', 1)
  await waitUntil(() => server.requests.some(({ method }) => method === 'POST'))
  assert.equal((await client.get('/coin')).data, 'list')
  release()
  assert.equal((await posting).data, 'posted')
})

async function waitUntil (condition: () => boolean): Promise<void> {
  while (!condition()) await delay(2)
}

function delay (milliseconds: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, milliseconds))
}
