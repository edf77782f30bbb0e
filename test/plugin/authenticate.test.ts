import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { request as httpRequest } from 'node:http'
import { MemoryStore, verify } from '../../lib/index.js'
import { TestUser, signRaw, startServer, type TestServer } from '../helpers/listen.js'

function assertRefused (
  response: { status: number, json (): { code: string, message: string } },
  status: number, code: string, message: string
): void {
  assert.equal(response.status, status)
  assert.deepEqual(
    { code: response.json().code, message: response.json().message }, { code, message }
  )
}

describe('requireBitjws over a listening server', () => {
  const alice = new TestUser()
  const stranger = new TestUser()
  const store = new MemoryStore({ users: [{ kid: alice.kid, username: 'alice' }] })
  let server: TestServer

  before(async () => { server = await startServer({ store }) })
  after(async () => { await server.app.close() })

  test('a valid message reaches the route and gets a signed reply', async () => {
    const response = await server.post('/echo', alice.message('/echo', { data: [1, 'two'] }))

    assert.equal(response.status, 200)
    assert.equal(response.contentType, 'application/jose')
    const { header, payload } = verify(response.text, { audience: '/response' })
    assert.equal(header.kid, server.app.bitjws.address)
    assert.deepEqual(payload.data, [1, 'two'])
  })

  test('content type parameters are accepted', async () => {
    const response = await server.post(
      '/echo', alice.message('/echo'), 'application/jose; charset=utf-8'
    )
    assert.equal(response.status, 200)
  })

  test('a message followed by a newline, as a file on disk is, is accepted', async () => {
    assert.equal((await server.post('/echo', alice.message('/echo') + '\r\n')).status, 200)
    assert.equal((await server.post('/echo', alice.message('/echo') + ' x')).status, 401)
  })

  test('a message sent as another content type is refused', async () => {
    assertRefused(await server.post('/echo', alice.message('/echo'), 'text/plain'), 401,
      'FST_BITJWS_CONTENT_TYPE',
      'The request body must be a bitjws message sent as application/jose')
    assertRefused(await server.post('/echo', '{}', 'application/json'), 401,
      'FST_BITJWS_CONTENT_TYPE',
      'The request body must be a bitjws message sent as application/jose')
  })

  test('a malformed body is a 401, not a 500', async () => {
    for (const body of ['', 'not a message', 'a.b', 'a.b.c.d', '{"payload":1}']) {
      const response = await server.post('/echo', body)
      assert.equal(response.status, 401, body)
      assert.match(response.json().code, /^FST_BITJWS_(MALFORMED|CONTENT_TYPE)$/)
    }
    assertRefused(await server.post('/echo', 'a.b.c'), 401, 'FST_BITJWS_MALFORMED',
      'The bitjws message is malformed')
  })

  test('each codec refusal has its own code', async () => {
    const [header, payload, signature] = alice.message('/echo').split('.') as [string, string, string]
    // Different data, so that the two payloads differ even when made in the same millisecond.
    const other = stranger.message('/echo', { data: 'other' }).split('.')

    assertRefused(await server.post('/echo', `${header}.${payload}.${other[2]}`), 401,
      'FST_BITJWS_SIGNATURE_INVALID', 'The bitjws signature is not valid')
    assertRefused(await server.post('/echo', `${header}.${other[1]}.${signature}`), 401,
      'FST_BITJWS_SIGNATURE_INVALID', 'The bitjws signature is not valid')
    assertRefused(await server.post('/echo', signRaw(alice.key,
      `{"alg":"none","kid":"${alice.kid}"}`, '{"aud":"/echo"}')), 401,
    'FST_BITJWS_ALGORITHM_UNSUPPORTED', 'The bitjws message uses an unsupported algorithm')
    assertRefused(await server.post('/echo', signRaw(alice.key,
      '{"alg":"CUSTOM-BITCOIN-SIGN","kid":"1notAnAddress"}', '{"aud":"/echo"}')), 401,
    'FST_BITJWS_KID_INVALID', 'The bitjws message has an invalid or unaccepted key id')
    assertRefused(await server.post('/echo', alice.message('/echo', { exp: Date.now() / 1000 - 5 })),
      401, 'FST_BITJWS_EXPIRED', 'The bitjws message has expired or carries no valid exp')
    assertRefused(await server.post('/echo', alice.message('/echo', { exp: undefined })),
      401, 'FST_BITJWS_EXPIRED', 'The bitjws message has expired or carries no valid exp')
    assertRefused(await server.post('/echo', alice.message('/echo', { iat: undefined })),
      401, 'FST_BITJWS_NONCE_MISSING', 'The bitjws payload must carry a numeric iat')
    assertRefused(await server.post('/echo', alice.message('/echo', { iat: '12' })),
      401, 'FST_BITJWS_NONCE_MISSING', 'The bitjws payload must carry a numeric iat')
  })

  test('the audience is the concrete path, not the route pattern', async () => {
    assert.equal((await server.post('/accounts/1', alice.message('/accounts/1'))).status, 200)
    assertRefused(await server.post('/accounts/2', alice.message('/accounts/1')), 401,
      'FST_BITJWS_AUDIENCE_MISMATCH', 'The bitjws message was signed for another audience')
    assertRefused(await server.post('/accounts/1', alice.message('/accounts/:id')), 401,
      'FST_BITJWS_AUDIENCE_MISMATCH', 'The bitjws message was signed for another audience')
    assertRefused(await server.post('/echo', alice.message('/accounts/1')), 401,
      'FST_BITJWS_AUDIENCE_MISMATCH', 'The bitjws message was signed for another audience')
    assertRefused(await server.post('/echo', alice.message(null)), 401,
      'FST_BITJWS_AUDIENCE_MISMATCH', 'The bitjws message was signed for another audience')
  })

  test('the query string is not part of the audience', async () => {
    assert.equal((await server.post('/echo?page=2', alice.message('/echo'))).status, 200)
    assert.equal((await server.post('/echo?page=2', alice.message('/echo?page=2'))).status, 401)
  })

  test('a replayed message is refused', async () => {
    const message = alice.message('/echo')
    assert.equal((await server.post('/echo', message)).status, 200)
    assertRefused(await server.post('/echo', message), 401, 'FST_BITJWS_NONCE_STALE',
      'The bitjws nonce is not newer than the last one accepted')
  })

  test('an older nonce after a newer one is refused', async () => {
    const older = alice.message('/echo')
    const newer = alice.message('/echo')
    assert.equal((await server.post('/echo', newer)).status, 200)
    assert.equal((await server.post('/echo', older)).json().code, 'FST_BITJWS_NONCE_STALE')
  })

  test('a replay after several newer messages is still refused', async () => {
    const first = alice.message('/echo')
    assert.equal((await server.post('/echo', first)).status, 200)
    for (let i = 0; i < 3; i++) {
      assert.equal((await server.post('/echo', alice.message('/echo'))).status, 200)
    }
    assert.equal((await server.post('/echo', first)).json().code, 'FST_BITJWS_NONCE_STALE')
  })

  test('of 50 concurrent copies of one message exactly one succeeds', async () => {
    const message = alice.message('/echo')
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => server.post('/echo', message))
    )
    const statuses = responses.map((response) => response.status)
    assert.equal(statuses.filter((status) => status === 200).length, 1)
    assert.equal(statuses.filter((status) => status === 401).length, 49)
  })

  test('an unknown key is refused and leaves no nonce behind', async () => {
    const before = store.nonceCount
    assertRefused(await server.post('/echo', stranger.message('/echo')), 401,
      'FST_BITJWS_UNKNOWN_KEY', 'The bitjws key id belongs to no known user')
    assert.equal(store.nonceCount, before)
  })

  test('a Python peer\'s message (spaced JSON, float iat in seconds) is accepted', async () => {
    const bob = new TestUser()
    await store.registerUser({ kid: bob.kid, username: 'bob' })
    const exp = Date.now() / 1000 + 60
    const header = `{"alg": "CUSTOM-BITCOIN-SIGN", "kid": "${bob.kid}", "typ": "JWT"}`
    const payload = (iat: number) =>
      `{"aud": "/echo", "data": {"a": 1}, "exp": ${exp}, "iat": ${iat}}`

    const first = await server.post('/echo', signRaw(bob.key, header, payload(1444574357.156202)))
    assert.equal(first.status, 200)
    assert.deepEqual(verify(first.text, { audience: '/response' }).payload.data, { a: 1 })
    const stale = await server.post('/echo', signRaw(bob.key, header, payload(1444574357.1562)))
    assert.equal(stale.json().code, 'FST_BITJWS_NONCE_STALE')
    const later = await server.post('/echo', signRaw(bob.key, header, payload(1444574357.156203)))
    assert.equal(later.status, 200)
  })

  test('a chunked body with no length is cut off at the limit with a 413', async () => {
    const { status, body } = await new Promise<{ status: number, body: string }>(
      (resolve, reject) => {
        const request = httpRequest(server.url + '/echo', {
          method: 'POST', headers: { 'content-type': 'application/jose' }
        }, (response) => {
          let body = ''
          response.on('data', (chunk) => { body += chunk })
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
        })
        request.on('error', reject)
        for (let i = 0; i < 20; i++) request.write('A'.repeat(4096))
        request.end()
      })
    assert.equal(status, 413)
    assert.equal(JSON.parse(body).code, 'FST_BITJWS_BODY_TOO_LARGE')
  })

  test('a body over the limit is a 413', async () => {
    const response = await server.post('/echo', 'a'.repeat(65537))
    assertRefused(response, 413, 'FST_BITJWS_BODY_TOO_LARGE',
      'The bitjws message is larger than this server accepts')
    assert.equal((await server.post('/echo', alice.message('/echo'))).status, 200)
  })
})

describe('requireBitjws with basePath, hooks and other settings', () => {
  const alice = new TestUser()
  const users = async (kid: string) => kid === alice.kid ? { name: 'alice' } : null

  test('basePath prefixes the expected audience', async () => {
    const server = await startServer({ basePath: '/v3', getUserByKey: users })
    try {
      assert.equal((await server.post('/echo', alice.message('/v3/echo'))).status, 200)
      assert.equal((await server.post('/echo', alice.message('/echo'))).json().code,
        'FST_BITJWS_AUDIENCE_MISMATCH')
    } finally {
      await server.app.close()
    }
  })

  test('an audience hook replaces the default', async () => {
    const server = await startServer({
      getUserByKey: users, audience: (request) => `https://api.example.com${request.url}`
    })
    try {
      const response = await server.post('/echo', alice.message('https://api.example.com/echo'))
      assert.equal(response.status, 200)
    } finally {
      await server.app.close()
    }
  })

  for (const [name, failure] of [
    ['throws', () => { throw new Error('database down') }],
    ['rejects', () => Promise.reject(new Error('database down'))]
  ] as const) {
    test(`a nonce hook that ${name} gives 503 and admits nothing`, async () => {
      let last = 0
      let failing = true
      const server = await startServer({
        getUserByKey: users,
        advanceNonce: async (_kid, nonce) => {
          if (failing) return failure()
          if (nonce <= last) return false
          last = nonce
          return true
        }
      })
      try {
        const message = alice.message('/echo')
        assertRefused(await server.post('/echo', message), 503, 'FST_BITJWS_STORE_UNAVAILABLE',
          'The authentication store is unavailable')
        assert.equal(last, 0)
        failing = false
        assert.equal((await server.post('/echo', message)).status, 200)
        assert.equal((await server.post('/echo', message)).status, 401)
      } finally {
        await server.app.close()
      }
    })
  }

  test('a user hook that fails gives 503 before any nonce is stored', async () => {
    let advanced = 0
    const server = await startServer({
      getUserByKey: async () => { throw new Error('database down') },
      advanceNonce: async () => { advanced++; return true }
    })
    try {
      assertRefused(await server.post('/echo', alice.message('/echo')), 503,
        'FST_BITJWS_STORE_UNAVAILABLE', 'The authentication store is unavailable')
      assert.equal(advanced, 0)
    } finally {
      await server.app.close()
    }
  })

  test('a nonce hook resolving a truthy non-boolean does not admit the request', async () => {
    const server = await startServer({
      getUserByKey: users,
      advanceNonce: async () => 1 as unknown as boolean
    })
    try {
      assert.equal((await server.post('/echo', alice.message('/echo'))).json().code,
        'FST_BITJWS_NONCE_STALE')
    } finally {
      await server.app.close()
    }
  })

  test('a GET route refuses every request: a GET carries no message', async () => {
    const server = await startServer({ getUserByKey: users }, (app) => {
      app.get('/private', { preHandler: app.requireBitjws }, async (_request, reply) =>
        reply.bitjws('secret'))
    })
    try {
      const response = await fetch(server.url + '/private')
      assert.equal(response.status, 401)
      assert.equal(((await response.json()) as { code: string }).code, 'FST_BITJWS_CONTENT_TYPE')
    } finally {
      await server.app.close()
    }
  })

  test('works as preValidation, before the route schema runs', async () => {
    const server = await startServer({ getUserByKey: users }, (app) => {
      app.post('/validated', {
        preValidation: app.requireBitjws,
        schema: { body: { type: 'string', maxLength: 10 } }
      }, async (request, reply) => reply.bitjws(request.jwsUser))
    })
    try {
      const refused = await server.post('/validated', alice.message('/validated'))
      assert.equal(refused.status, 400)
      const unauthenticated = await server.post('/validated', 'x')
      assert.equal(unauthenticated.json().code, 'FST_BITJWS_MALFORMED')
    } finally {
      await server.app.close()
    }
  })

  test('custom decorator names carry the header, payload and user', async () => {
    const server = await startServer({
      getUserByKey: users, decorators: { header: 'bitHeader', payload: 'bitPayload', user: 'user' }
    }, (app) => {
      app.post('/who', { preHandler: app.requireBitjws }, async (request, reply) => {
        const decorated = request as unknown as Record<string, { kid?: string, aud?: string }>
        return reply.bitjws([decorated.bitHeader?.kid, decorated.bitPayload?.aud, decorated.user])
      })
    })
    try {
      const response = await server.post('/who', alice.message('/who'))
      assert.deepEqual(verify(response.text, { audience: '/response' }).payload.data,
        [alice.kid, '/who', { name: 'alice' }])
    } finally {
      await server.app.close()
    }
  })

  test('testnet keys are refused unless the network is allowed', async () => {
    const tester = new TestUser((await import('../../lib/index.js')).generatePrivateKey({
      network: 'testnet'
    }))
    const testerUsers = async () => ({ name: 'tester' })
    const mainnetOnly = await startServer({ getUserByKey: testerUsers })
    const both = await startServer({
      getUserByKey: testerUsers, networks: ['mainnet', 'testnet']
    })
    try {
      assert.equal((await mainnetOnly.post('/echo', tester.message('/echo'))).json().code,
        'FST_BITJWS_KID_INVALID')
      assert.equal((await both.post('/echo', tester.message('/echo'))).status, 200)
    } finally {
      await mainnetOnly.app.close()
      await both.app.close()
    }
  })

  test('maxLifetime refuses messages that expire too far ahead', async () => {
    const server = await startServer({ getUserByKey: users, maxLifetime: 120 })
    try {
      const far = alice.message('/echo', { exp: Date.now() / 1000 + 3600 })
      assertRefused(await server.post('/echo', far), 401, 'FST_BITJWS_LIFETIME_TOO_LONG',
        'The bitjws message expires later than this server allows')
      assert.equal((await server.post('/echo', alice.message('/echo'))).status, 200)
    } finally {
      await server.app.close()
    }
  })

  test('clockTolerance forgives a recently expired message', async () => {
    const server = await startServer({ getUserByKey: users, clockTolerance: 30 })
    try {
      const late = alice.message('/echo', { exp: Date.now() / 1000 - 10 })
      assert.equal((await server.post('/echo', late)).status, 200)
    } finally {
      await server.app.close()
    }
  })
})
