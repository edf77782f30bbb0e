import { after, before, beforeEach, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  BitjwsError, SigningKey, generatePrivateKey, verify
} from '../../lib/codec/index.js'
import {
  BITJWS_CLIENT_ERROR_CODES, createClient, isBitjwsClientError, type BitjwsClient
} from '../../lib/client/index.js'
import {
  claimsOf, rejectsClient, replyJson, replySigned, startFakeServer, type FakeServer
} from './helpers.js'

describe('client against a fake server', () => {
  let server: FakeServer
  let client: BitjwsClient
  const wif = generatePrivateKey()

  before(async () => { server = await startFakeServer() })
  after(async () => { await server.close() })
  beforeEach(() => {
    server.requests.length = 0
    server.handle((_request, response) => { replySigned(response, server.key, { ok: true }) })
    client = createClient({ baseUrl: server.url, privateKey: wif })
  })

  test('a POST carries a signed message as its whole application/jose body', async () => {
    const before = Date.now()
    const reply = await client.post('/echo', { hello: 'world' })

    const [request] = server.requests
    assert.equal(request?.method, 'POST')
    assert.equal(request.url, '/echo')
    assert.equal(request.headers['content-type'], 'application/jose')
    assert.equal(request.headers.accept, 'application/jose')
    const { header, payload } = verify(request.body, { audience: '/echo' })
    assert.equal(header.kid, client.address)
    assert.deepEqual(Object.keys(payload), ['aud', 'iat', 'exp', 'data'])
    assert.deepEqual(payload.data, { hello: 'world' })
    assert.ok(Number.isInteger(payload.iat) && (payload.iat as number) >= before)
    const lifetime = (payload.exp as number) - (payload.iat as number) / 1000
    assert.ok(Math.abs(lifetime - 3600) < 1, `lifetime ${lifetime}`)

    assert.equal(reply.status, 200)
    assert.deepEqual(reply.data, { ok: true })
    assert.equal(reply.header.kid, server.key.address)
    assert.equal(reply.payload.aud, '/response')
  })

  test('a request without data signs no data claim', async () => {
    await client.post('/echo')
    assert.equal('data' in claimsOf(server.requests[0]?.body ?? ''), false)
  })

  test('null and other falsy data are signed as given', async () => {
    for (const data of [null, 0, false, '']) {
      server.requests.length = 0
      await client.post('/echo', data)
      assert.deepEqual(claimsOf(server.requests[0]?.body ?? '').data, data)
    }
  })

  test('PUT, PATCH and DELETE are signed too; lower-case methods are accepted', async () => {
    await client.put('/thing/1', 1)
    await client.patch('/thing/1', 2)
    await client.delete('/thing/1', 3)
    await client.request('post', '/thing/1', 4)

    assert.deepEqual(
      server.requests.map(({ method, body }) => [method, claimsOf(body).data, claimsOf(body).aud]),
      [['PUT', 1, '/thing/1'], ['PATCH', 2, '/thing/1'], ['DELETE', 3, '/thing/1'],
        ['POST', 4, '/thing/1']]
    )
  })

  test('a GET sends no body and no content type, and its reply is still verified', async () => {
    const reply = await client.get('/coin')

    assert.equal(server.requests[0]?.method, 'GET')
    assert.equal(server.requests[0].body, '')
    assert.equal(server.requests[0].headers['content-type'], undefined)
    assert.deepEqual(reply.data, { ok: true })
  })

  test('a GET with data is refused before anything is sent', async () => {
    await assert.rejects(client.request('GET', '/coin', { a: 1 }), {
      name: 'TypeError',
      message: 'A GET request carries no body, so it cannot send data; use POST.'
    })
    assert.equal(server.requests.length, 0)
  })

  test('an unknown method is a TypeError', async () => {
    for (const method of ['HEAD', 'OPTIONS', 'TRACE', 42]) {
      await assert.rejects(client.request(method as 'GET', '/x'), {
        name: 'TypeError', message: 'The method must be one of GET, POST, PUT, PATCH, DELETE.'
      })
    }
  })

  test('the query string is sent but not signed into aud', async () => {
    await client.post('/echo?page=2&q=a%20b', 1)
    assert.equal(server.requests[0]?.url, '/echo?page=2&q=a%20b')
    assert.equal(claimsOf(server.requests[0].body).aud, '/echo')
  })

  test('aud is the path as sent: percent-encoded, dot segments resolved', async () => {
    await client.post('/accounts/a b/./x/../ü')
    assert.equal(server.requests[0]?.url, '/accounts/a%20b/%C3%BC')
    assert.equal(claimsOf(server.requests[0].body).aud, '/accounts/a%20b/%C3%BC')
  })

  test('a path that looks like another host stays on the base URL', async () => {
    await client.post('//example.com/echo')
    assert.equal(server.requests[0]?.url, '//example.com/echo')
    assert.equal(claimsOf(server.requests[0].body).aud, '//example.com/echo')
  })

  test('a path must start with a slash', async () => {
    for (const path of ['echo', 'http://example.com/echo', '', undefined]) {
      await assert.rejects(client.post(path as string), {
        name: 'TypeError', message: 'The path must be a string that starts with "/".'
      })
    }
  })

  test('the path of baseUrl prefixes every request and, by default, aud', async () => {
    const prefixed = createClient({ baseUrl: server.url + '/v3/', privateKey: wif })
    await prefixed.post('/echo')
    assert.equal(server.requests[0]?.url, '/v3/echo')
    assert.equal(claimsOf(server.requests[0].body).aud, '/v3/echo')
  })

  test('basePath sets what aud starts with, whatever the URL', async () => {
    const behindProxy = createClient({ baseUrl: server.url, basePath: '/api', privateKey: wif })
    await behindProxy.post('/echo')
    assert.equal(server.requests[0]?.url, '/echo')
    assert.equal(claimsOf(server.requests[0].body).aud, '/api/echo')

    const unprefixed = createClient({ baseUrl: server.url + '/v3', basePath: '', privateKey: wif })
    await unprefixed.post('/echo')
    assert.equal(server.requests[1]?.url, '/v3/echo')
    assert.equal(claimsOf(server.requests[1].body).aud, '/echo')
  })

  test('a path cannot climb out of the path of baseUrl', async () => {
    const prefixed = createClient({ baseUrl: server.url + '/v3', privateKey: wif })
    await assert.rejects(prefixed.post('/../admin'), {
      name: 'TypeError', message: 'The path must stay below the path of `baseUrl`.'
    })
    assert.equal(server.requests.length, 0)
  })

  test('expireAfter sets exp, per client and per request', async () => {
    const short = createClient({ baseUrl: server.url, privateKey: wif, expireAfter: 30 })
    await short.post('/echo')
    await short.post('/echo', undefined, { expireAfter: 5 })

    const lifetimes = server.requests.map(({ body }) => {
      const { iat, exp } = claimsOf(body)
      return Math.round((exp as number) - (iat as number) / 1000)
    })
    assert.deepEqual(lifetimes, [30, 5])
    await assert.rejects(short.post('/echo', undefined, { expireAfter: 0 }), {
      name: 'TypeError',
      message: 'The `expireAfter` option must be a finite, positive number of seconds.'
    })
  })

  test('extra headers are sent, but cannot change the content type', async () => {
    await client.post('/echo', 1, {
      headers: { 'x-request-id': 'abc', 'Content-Type': 'application/json' }
    })
    assert.equal(server.requests[0]?.headers['x-request-id'], 'abc')
    assert.equal(server.requests[0].headers['content-type'], 'application/jose')
  })

  test('a SigningKey is used as it is', async () => {
    const key = new SigningKey(wif)
    const keyed = createClient({ baseUrl: new URL(server.url), privateKey: key })
    assert.equal(keyed.address, key.address)
    await keyed.post('/echo')
    assert.equal(verify(server.requests[0]?.body ?? '', { audience: '/echo' }).header.kid,
      key.address)
  })

  test('the fetch option replaces the global fetch', async () => {
    const seen: string[] = []
    const custom = createClient({
      baseUrl: server.url,
      privateKey: wif,
      fetch: async (input, init) => {
        seen.push(String(input))
        return await fetch(input, init)
      }
    })
    await custom.post('/echo')
    assert.deepEqual(seen, [server.url + '/echo'])
  })

  test('the client object is frozen and shows no key', () => {
    assert.ok(Object.isFrozen(client))
    assert.equal(JSON.stringify(client).includes(wif), false)
    assert.equal(client.serverAddress, undefined)
  })

  describe('replies', () => {
    test('a reply signed by the pinned server is accepted', async () => {
      const pinned = createClient({
        baseUrl: server.url, privateKey: wif, serverAddress: server.key.address
      })
      assert.equal(pinned.serverAddress, server.key.address)
      const reply = await pinned.post('/echo')
      assert.equal(reply.header.kid, server.key.address)
    })

    test('a reply signed by another key is refused when the server is pinned', async () => {
      const other = new SigningKey(generatePrivateKey())
      const pinned = createClient({
        baseUrl: server.url, privateKey: wif, serverAddress: other.address
      })
      await rejectsClient(pinned.post('/echo'), 'ERR_BITJWS_CLIENT_SERVER_MISMATCH', 200,
        `The reply was signed by ${server.key.address}, not by the pinned ${other.address}`)
    })

    test('a reply with another status in 2xx is returned with it', async () => {
      server.handle((_request, response) => {
        replySigned(response, server.key, { id: 1 }, { status: 201 })
      })
      const reply = await client.post('/coin')
      assert.equal(reply.status, 201)
      assert.deepEqual(reply.data, { id: 1 })
    })

    test('an unsigned 200 is refused, naming its content type', async () => {
      server.handle((_request, response) => { replyJson(response, 200, { ok: true }) })
      const error = await rejectsClient(client.post('/echo'), 'ERR_BITJWS_CLIENT_RESPONSE_INVALID',
        200, 'The server replied with application/json; charset=utf-8, not a signed ' +
        'application/jose message')
      assert.equal(error.body, '{"ok":true}')
      assert.ok(error.cause instanceof BitjwsError)
    })

    test('an empty 200 without a content type is refused', async () => {
      server.handle((_request, response) => { response.end() })
      await rejectsClient(client.post('/echo'), 'ERR_BITJWS_CLIENT_RESPONSE_INVALID', 200,
        'The server replied with no content type, not a signed application/jose message')
    })

    for (const [name, claims, causeCode] of [
      ['not addressed to /response', { aud: '/echo' }, 'ERR_BITJWS_AUDIENCE_MISMATCH'],
      ['expired', { exp: Date.now() / 1000 - 10 }, 'ERR_BITJWS_EXPIRED'],
      ['without exp', { exp: undefined }, 'ERR_BITJWS_EXPIRED']
    ] as const) {
      test(`a signed reply ${name} is refused`, async () => {
        server.handle((_request, response) => {
          replySigned(response, server.key, 1, { claims })
        })
        const error = await rejectsClient(client.post('/echo'),
          'ERR_BITJWS_CLIENT_RESPONSE_INVALID', 200, /^The reply is not a valid bitjws message: /)
        assert.equal((error.cause as BitjwsError).code, causeCode)
      })
    }

    test('clockTolerance forgives a reply that expired moments ago', async () => {
      server.handle((_request, response) => {
        replySigned(response, server.key, 1, { claims: { exp: Date.now() / 1000 - 5 } })
      })
      const tolerant = createClient({ baseUrl: server.url, privateKey: wif, clockTolerance: 60 })
      assert.equal((await tolerant.post('/echo')).data, 1)
    })

    test('a tampered reply is refused', async () => {
      server.handle((_request, response) => {
        const token = replyToken(server.key, { n: 1 })
        const [header, , signature] = token.split('.')
        const payload = Buffer.from(JSON.stringify({
          aud: '/response', exp: Date.now() / 1000 + 60, data: { n: 2 }
        })).toString('base64url')
        response.writeHead(200, { 'content-type': 'application/jose' })
        response.end(`${header}.${payload}.${signature}`)
      })
      const error = await rejectsClient(client.post('/echo'),
        'ERR_BITJWS_CLIENT_RESPONSE_INVALID', 200, /^The reply is not a valid bitjws message: /)
      assert.equal((error.cause as BitjwsError).code, 'ERR_BITJWS_SIGNATURE_INVALID')
    })

    test('a reply from a testnet key is refused unless networks allows it', async () => {
      const testnetKey = new SigningKey(generatePrivateKey({ network: 'testnet' }))
      server.handle((_request, response) => { replySigned(response, testnetKey, 't') })

      const error = await rejectsClient(client.post('/echo'),
        'ERR_BITJWS_CLIENT_RESPONSE_INVALID', 200, /not a valid bitjws message/)
      assert.equal((error.cause as BitjwsError).code, 'ERR_BITJWS_NETWORK_NOT_ALLOWED')

      const allowing = createClient({
        baseUrl: server.url, privateKey: wif, networks: ['mainnet', 'testnet']
      })
      assert.equal((await allowing.post('/echo')).data, 't')
      // Pinning a testnet server allows testnet by itself.
      const pinned = createClient({
        baseUrl: server.url, privateKey: wif, serverAddress: testnetKey.address
      })
      assert.equal((await pinned.post('/echo')).data, 't')
    })
  })

  describe('error replies', () => {
    test('a Fastify error reply becomes ERR_BITJWS_CLIENT_HTTP with the server code', async () => {
      const body = {
        statusCode: 401,
        code: 'FST_BITJWS_UNKNOWN_KEY',
        error: 'Unauthorized',
        message: 'The bitjws key id belongs to no known user'
      }
      server.handle((_request, response) => { replyJson(response, 401, body) })

      const error = await rejectsClient(client.post('/echo'), 'ERR_BITJWS_CLIENT_HTTP', 401,
        'The server answered 401 FST_BITJWS_UNKNOWN_KEY: ' +
        'The bitjws key id belongs to no known user')
      assert.equal(error.serverCode, 'FST_BITJWS_UNKNOWN_KEY')
      assert.deepEqual(error.body, body)
      assert.equal(error.data, undefined)
      assert.ok(isBitjwsClientError(error))
    })

    for (const [status, code] of [
      [413, 'FST_BITJWS_BODY_TOO_LARGE'], [503, 'FST_BITJWS_STORE_UNAVAILABLE']
    ] as const) {
      test(`a ${status} keeps its status and code`, async () => {
        server.handle((_request, response) => {
          replyJson(response, status, { statusCode: status, code, message: 'm' })
        })
        const error = await rejectsClient(client.post('/echo'), 'ERR_BITJWS_CLIENT_HTTP', status,
          `The server answered ${status} ${code}: m`)
        assert.equal(error.serverCode, code)
      })
    }

    test('a JSON error without code or message still gives its status', async () => {
      server.handle((_request, response) => {
        replyJson(response, 404, { code: 7, message: null })
      })
      const error = await rejectsClient(client.get('/nowhere'), 'ERR_BITJWS_CLIENT_HTTP', 404,
        'The server answered 404')
      assert.equal(error.serverCode, undefined)
      assert.deepEqual(error.body, { code: 7, message: null })
    })

    test('a text error keeps its body as text', async () => {
      server.handle((_request, response) => {
        response.writeHead(502, { 'content-type': 'text/html' })
        response.end('<h1>Bad gateway</h1>')
      })
      const error = await rejectsClient(client.post('/echo'), 'ERR_BITJWS_CLIENT_HTTP', 502,
        'The server answered 502')
      assert.equal(error.body, '<h1>Bad gateway</h1>')
    })

    test('a long server message is cut short', async () => {
      server.handle((_request, response) => {
        replyJson(response, 400, { code: 'X', message: 'a'.repeat(1000) })
      })
      const error = await rejectsClient(client.post('/echo'), 'ERR_BITJWS_CLIENT_HTTP', 400,
        `The server answered 400 X: ${'a'.repeat(300)}…`)
      assert.equal((error.body as { message: string }).message.length, 1000)
    })

    test('a signed error reply carries its verified data', async () => {
      server.handle((_request, response) => {
        replySigned(response, server.key, { missing: 'coin 9' }, { status: 404 })
      })
      const error = await rejectsClient(client.post('/coin/9'), 'ERR_BITJWS_CLIENT_HTTP', 404,
        'The server answered 404')
      assert.deepEqual(error.data, { missing: 'coin 9' })
    })

    test('a signed error reply from an unpinned key carries no data', async () => {
      server.handle((_request, response) => {
        replySigned(response, server.key, { missing: 'coin 9' }, { status: 404 })
      })
      const pinned = createClient({
        baseUrl: server.url,
        privateKey: wif,
        serverAddress: new SigningKey(generatePrivateKey()).address
      })
      const error = await rejectsClient(pinned.post('/coin/9'), 'ERR_BITJWS_CLIENT_HTTP', 404,
        'The server answered 404')
      assert.equal(error.data, undefined)
      assert.equal(typeof error.body, 'string')
    })

    test('a redirect is not followed, so the signed request goes nowhere else', async () => {
      const elsewhere = await startFakeServer()
      try {
        server.handle((_request, response) => {
          response.writeHead(307, { location: elsewhere.url + '/echo' })
          response.end()
        })
        await rejectsClient(client.post('/echo'), 'ERR_BITJWS_CLIENT_HTTP', 307,
          `The server answered 307 (a redirect to ${elsewhere.url}/echo, not followed)`)
        server.handle((_request, response) => { response.writeHead(308).end() })
        await rejectsClient(client.post('/echo'), 'ERR_BITJWS_CLIENT_HTTP', 308,
          'The server answered 308 (a redirect, not followed)')
        assert.equal(elsewhere.requests.length, 0)
      } finally {
        await elsewhere.close()
      }
    })
  })

  describe('transport failures', () => {
    test('a refused connection is ERR_BITJWS_CLIENT_NETWORK', async () => {
      const gone = await startFakeServer()
      await gone.close()
      const unreachable = createClient({ baseUrl: gone.url, privateKey: wif })
      const error = await rejectsClient(unreachable.post('/echo'), 'ERR_BITJWS_CLIENT_NETWORK',
        undefined,
        `The connection to ${gone.url} failed: connect ECONNREFUSED ${gone.url.slice(7)}`)
      assert.ok(error.cause instanceof TypeError)
    })

    test('a fetch that throws something odd is still a network error', async () => {
      const odd = createClient({
        baseUrl: server.url,
        privateKey: wif,
        fetch: () => { throw 'no' as unknown as Error } // eslint-disable-line no-throw-literal
      })
      await rejectsClient(odd.post('/echo'), 'ERR_BITJWS_CLIENT_NETWORK', undefined,
        `The connection to ${server.url} failed: no`)
      const plain = createClient({
        baseUrl: server.url,
        privateKey: wif,
        fetch: async () => { throw new Error('offline') }
      })
      await rejectsClient(plain.post('/echo'), 'ERR_BITJWS_CLIENT_NETWORK', undefined,
        `The connection to ${server.url} failed: offline`)
    })

    test('a server that never answers is ERR_BITJWS_CLIENT_TIMEOUT', async () => {
      server.handle(() => {})
      await rejectsClient(client.post('/echo', 1, { timeout: 50 }), 'ERR_BITJWS_CLIENT_TIMEOUT',
        undefined, `No complete reply from ${server.url} within 50 ms`)
    })

    test('a reply body that stalls is a timeout too', async () => {
      server.handle((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/jose' })
        response.write('eyJ')
      })
      const slow = createClient({ baseUrl: server.url, privateKey: wif, timeout: 100 })
      await rejectsClient(slow.post('/echo'), 'ERR_BITJWS_CLIENT_TIMEOUT', undefined,
        `No complete reply from ${server.url} within 100 ms`)
    })

    test("the caller's signal aborts with ERR_BITJWS_CLIENT_ABORTED", async () => {
      server.handle(() => {})
      const controller = new AbortController()
      const pending = client.post('/echo', 1, { signal: controller.signal })
      setTimeout(() => { controller.abort() }, 20)
      await rejectsClient(pending, 'ERR_BITJWS_CLIENT_ABORTED', undefined,
        'The request was aborted')

      await rejectsClient(client.post('/echo', 1, { signal: AbortSignal.abort() }),
        'ERR_BITJWS_CLIENT_ABORTED', undefined, 'The request was aborted')
    })

    test('a per-request timeout is checked like the option', async () => {
      await assert.rejects(client.post('/echo', 1, { timeout: 0 }), {
        name: 'TypeError',
        message:
          'The `timeout` option must be a whole number of milliseconds from 1 to 2147483647.'
      })
    })

    test('data that JSON cannot encode fails before anything is sent', async () => {
      await assert.rejects(client.post('/echo', { big: 1n }), { name: 'TypeError' })
      assert.equal(server.requests.length, 0)
      // The key's line moves on after the failure.
      assert.deepEqual((await client.post('/echo')).data, { ok: true })
    })
  })

  test('every client error code is listed', () => {
    assert.deepEqual([...BITJWS_CLIENT_ERROR_CODES], [
      'ERR_BITJWS_CLIENT_HTTP', 'ERR_BITJWS_CLIENT_RESPONSE_INVALID',
      'ERR_BITJWS_CLIENT_SERVER_MISMATCH', 'ERR_BITJWS_CLIENT_NETWORK',
      'ERR_BITJWS_CLIENT_TIMEOUT', 'ERR_BITJWS_CLIENT_ABORTED'
    ])
  })
})

function replyToken (key: SigningKey, data: unknown): string {
  return createToken(key, { aud: '/response', exp: Date.now() / 1000 + 60, data })
}

function createToken (key: SigningKey, claims: Record<string, unknown>): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url')
  const input = key.protectedHeader + '.' + payload
  return input + '.' + Buffer.from(key.signMessage(input).toString('base64')).toString('base64url')
}
