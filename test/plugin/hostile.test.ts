import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { buildExampleApp } from '../../example/app.js'
import { MemoryStore, encodeBase64url, generatePrivateKey } from '../../lib/index.js'
import { TestUser, signRaw } from '../helpers/listen.js'
import type { FastifyInstance } from 'fastify'

// `npm run fuzz` raises the count; npm test keeps the suite short on two cores.
const RUNS = Number(process.env.FUZZ_RUNS ?? 300)
const LIMIT = 65536
const CURVE_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n

interface Attempt {
  label: string
  body: string | Uint8Array
  contentType?: string
  path?: string
  /** True only for an untouched, fresh message from a registered key. */
  valid?: boolean
}

const alice = new TestUser()
const bob = new TestUser()
const testnetAlice = new TestUser(generatePrivateKey({ network: 'testnet' }))

function segments (token: string): [string, string, string] {
  return token.split('.') as [string, string, string]
}

function signatureBytes (token: string): Buffer {
  return Buffer.from(Buffer.from(segments(token)[2], 'base64url').toString('latin1'), 'base64')
}

function withSignature (token: string, signature: Buffer): string {
  const [header, payload] = segments(token)
  return `${header}.${payload}.${encodeBase64url(signature.toString('base64'))}`
}

/** The other valid-looking signature for the same message: s' = n - s, recid flipped. */
export function highSTwin (token: string): string {
  const signature = Buffer.from(signatureBytes(token))
  const s = BigInt('0x' + signature.subarray(33).toString('hex'))
  signature.set(Buffer.from((CURVE_ORDER - s).toString(16).padStart(64, '0'), 'hex'), 33)
  const flag = signature[0] as number
  signature[0] = ((flag - 27) ^ 1) + 27
  return withSignature(token, signature)
}

function payloadWith (claims: Record<string, unknown>): string {
  return JSON.stringify({ aud: '/echo', exp: Date.now() / 1000 + 60, iat: Date.now(), ...claims })
}

const header = (fields: Record<string, unknown>) =>
  JSON.stringify({ alg: 'CUSTOM-BITCOIN-SIGN', kid: alice.kid, typ: 'JWT', ...fields })

const attempts: fc.Arbitrary<Attempt> = fc.oneof(
  fc.uint8Array({ maxLength: 512 }).map((body) => ({ label: 'random bytes', body })),
  fc.string({ maxLength: 300 }).map((body) => ({ label: 'random text', body })),
  fc.constant(null).map(() => ({ label: 'valid', body: alice.message('/echo'), valid: true })),
  fc.tuple(fc.nat(), fc.string({ minLength: 1, maxLength: 3 }), fc.constantFrom(0, 1, 2))
    .map(([at, text, kind]) => {
      const message = alice.message('/echo')
      const index = at % message.length
      const body = kind === 0
        ? message.slice(0, index) + text + message.slice(index + 1)
        : kind === 1
          ? message.slice(0, index) + text + message.slice(index)
          : message.slice(0, index)
      return { label: 'mutated', body, valid: body === message }
    }),
  fc.tuple(fc.constantFrom(0, 1, 2), fc.constantFrom('=', '==', '%3D'))
    .map(([which, padding]) => {
      const parts = segments(alice.message('/echo'))
      parts[which] += padding
      return { label: 're-padded', body: parts.join('.') }
    }),
  fc.tuple(fc.constantFrom(0, 1, 2), fc.boolean()).map(([which, sameUser]) => {
    const message = alice.message('/echo', { data: 'mine' })
    const parts = segments(message)
    const other = segments((sameUser ? alice : bob).message('/echo', { data: 'theirs' }))
    parts[which] = other[which]
    // Alice's own header spliced into Alice's message changes nothing.
    const body = parts.join('.')
    return { label: 'spliced', body, valid: body === message }
  }),
  fc.constantFrom('none', 'HS256', 'ES256', 'custom-bitcoin-sign', 'CUSTOM-BITCOIN-SIGN ', null)
    .map((alg) => ({
      label: `alg ${String(alg)}`,
      body: signRaw(alice.key, header({ alg: alg ?? undefined }), payloadWith({}))
    })),
  fc.constantFrom(bob.kid, testnetAlice.kid, '', 42, null).map((kid) => ({
    label: 'foreign kid',
    body: signRaw(alice.key, header({ kid }), payloadWith({}))
  })),
  fc.nat({ max: 65 * 8 - 1 }).map((bit) => {
    const message = alice.message('/echo')
    const signature = signatureBytes(message)
    signature[bit >> 3] = (signature[bit >> 3] as number) ^ (1 << (bit & 7))
    return { label: 'flipped signature bit', body: withSignature(message, signature) }
  }),
  fc.constant(null).map(() => ({ label: 'high-S twin', body: highSTwin(alice.message('/echo')) })),
  fc.constantFrom('12', null, true, [1], { n: 1 }, undefined, Number.MAX_VALUE * 10)
    .map((iat) => ({
      label: 'bad iat',
      body: signRaw(alice.key, header({}), payloadWith({ iat: iat ?? undefined }))
    })),
  fc.constantFrom('9999999999', null, {}, [], true).map((exp) => ({
    label: 'bad exp', body: signRaw(alice.key, header({}), payloadWith({ exp }))
  })),
  // With the outer object, 64 brackets make 65 levels: one past what the codec accepts.
  fc.integer({ min: 64, max: 20000 }).map((depth) => ({
    label: 'deep JSON',
    body: signRaw(alice.key, header({}),
      payloadWith({ iat: Date.now() + 1e9 }).replace('{', `{"d":${'['.repeat(depth)}${']'.repeat(depth)},`))
  })),
  fc.integer({ min: LIMIT - 1200, max: LIMIT - 600 }).map((size) => ({
    label: 'huge JSON',
    body: signRaw(alice.key, header({}), payloadWith({ data: 'x'.repeat(size) }))
  })),
  fc.constantFrom('text/plain', 'application/json', 'application/jose+json', 'application/josex',
    'application/x-www-form-urlencoded', undefined)
    .map((contentType) => ({
      label: `content type ${String(contentType)}`,
      body: contentType === undefined
        ? Buffer.from(alice.message('/echo'))
        : alice.message('/echo'),
      ...(contentType === undefined ? {} : { contentType })
    })),
  fc.constantFrom(LIMIT, LIMIT + 1).map((size) => ({
    label: `body of ${size} bytes`, body: alice.message('/echo').padEnd(size, 'A')
  })),
  fc.constantFrom('/echo/', '/ECHO', '/coin', '/echodetails').map((path) => ({
    label: `other path ${path}`, body: alice.message('/echo'), path
  }))
)

describe('hostile input over HTTP', () => {
  let app: FastifyInstance
  let url: string

  before(async () => {
    const store = new MemoryStore({
      users: [{ kid: alice.kid, username: 'alice' }, { kid: bob.kid, username: 'bob' }]
    })
    app = await buildExampleApp({ store })
    url = await app.listen({ port: 0, host: '127.0.0.1' })
  })
  after(async () => { await app.close() })

  async function send (attempt: Attempt): Promise<number> {
    const response = await fetch(url + (attempt.path ?? '/echo'), {
      method: 'POST',
      body: attempt.body,
      headers: attempt.contentType === undefined && typeof attempt.body !== 'string'
        ? {}
        : { 'content-type': attempt.contentType ?? 'application/jose' }
    })
    await response.arrayBuffer()
    return response.status
  }

  test('never a 5xx, and never a 2xx for anything but a valid, fresh message', async () => {
    const heapBefore = process.memoryUsage().heapUsed
    await fc.assert(fc.asyncProperty(attempts, async (attempt) => {
      const status = await send(attempt)
      assert.ok(status < 500, `${attempt.label}: ${status}`)
      if (attempt.valid === true) assert.equal(status, 200, attempt.label)
      else assert.ok(status >= 400, `${attempt.label}: ${status}`)
    }), { numRuns: RUNS })

    // Refused requests must not accumulate: nonces are stored only for the two users.
    assert.ok(process.memoryUsage().heapUsed - heapBefore < 64 * 1024 * 1024)
    assert.equal(await send({ label: 'still up', body: alice.message('/echo'), valid: true }), 200)
  })

  test('the high-S twin of a valid signature is refused, the original accepted', async () => {
    const message = alice.message('/echo')
    const twin = highSTwin(message)
    assert.notEqual(twin, message)
    assert.equal(await send({ label: 'twin', body: twin }), 401)
    assert.equal(await send({ label: 'original', body: message }), 200)
  })

  test('a validly signed payload nested too deep is a 401, not a 500 from the echo', async () => {
    const body = signRaw(alice.key, header({}),
      payloadWith({ iat: Date.now() + 2e9 }).replace('{', `{"d":${'['.repeat(20000)}${']'.repeat(20000)},`))
    const response = await fetch(url + '/echo', {
      method: 'POST', body, headers: { 'content-type': 'application/jose' }
    })
    assert.equal(response.status, 401)
    assert.equal(((await response.json()) as { code: string }).code, 'FST_BITJWS_MALFORMED')
  })
})
