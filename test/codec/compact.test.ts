import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  SigningKey, encodeWif, generatePrivateKey, publicKeyToAddress, sign, signSerialize, verify,
  type BitjwsClaims
} from '../../lib/index.js'
import { compactSizeLength } from '../../lib/codec/message.js'
import {
  NEVER, README_KEY, jsonSegment, segmentsOf, signSegments, throwsBitjws
} from '../helpers/codec.js'

for (const network of ['mainnet', 'testnet'] as const) {
  for (const compressed of [true, false]) {
    test(`round trip: ${network}, ${compressed ? 'compressed' : 'uncompressed'} key`, () => {
      const wif = generatePrivateKey({ network, compressed })
      const key = new SigningKey(wif)
      const claims = { aud: '/echo', exp: NEVER, iat: 1, data: { text: 'hi', list: [1, null] } }
      const token = sign(claims, wif)

      const { header, payload } = verify(token, { audience: '/echo', networks: [network] })
      assert.deepEqual(header, { alg: 'CUSTOM-BITCOIN-SIGN', kid: key.address, typ: 'JWT' })
      assert.deepEqual(payload, claims)
      assert.equal(token, sign(claims, key), 'RFC 6979 signing is deterministic')
    })
  }
}

test('testnet kids need networks to include testnet', () => {
  const token = sign({ aud: null, exp: NEVER }, generatePrivateKey({ network: 'testnet' }))

  throwsBitjws(
    () => verify(token, { audience: null }),
    'ERR_BITJWS_NETWORK_NOT_ALLOWED', 'Addresses of testnet may not sign here'
  )
  assert.ok(verify(token, { audience: null, networks: ['mainnet', 'testnet'] }))
})

const lengthForms: Array<[string, number, number, number, number]> = [
  ['short, one-byte length', 10, 1, 252, 1],
  ['over 252 bytes, 0xfd length', 400, 253, 65535, 3],
  ['over 65,535 bytes, 0xfe length', 70_000, 65536, 0xffffffff, 5]
]

for (const [name, dataLength, min, max, sizeBytes] of lengthForms) {
  test(`round trip: ${name}`, () => {
    const key = new SigningKey(README_KEY)
    const claims = { aud: null, exp: NEVER, data: 'd'.repeat(dataLength) }
    const token = sign(claims, key)
    const [header, payload] = segmentsOf(token)
    const signedLength = header.length + 1 + payload.length

    assert.ok(signedLength >= min && signedLength <= max, String(signedLength))
    assert.equal(compactSizeLength(signedLength), sizeBytes)
    assert.deepEqual(verify(token, { audience: null }).payload, claims)
  })
}

test('a WIF, 32 raw bytes and a SigningKey of one key sign identically', () => {
  const claims = { aud: '/a', exp: NEVER }
  const expected = sign(claims, new SigningKey(README_KEY))

  assert.equal(sign(claims, README_KEY), expected)
  assert.equal(sign(claims, encodeWif(README_KEY)), expected)
})

test('sign signs exactly the claims given, with the protected header of the key', () => {
  const key = new SigningKey(README_KEY)
  const token = sign({ b: 1, a: 'é' }, key)
  const [header, payload] = segmentsOf(token)

  assert.equal(header, key.protectedHeader)
  assert.equal(Buffer.from(payload, 'base64url').toString(), '{"b":1,"a":"é"}')
})

test('sign refuses claims that are not a plain object', () => {
  for (const claims of [null, [], 'text', 5]) {
    assert.throws(() => sign(claims as never, README_KEY), {
      name: 'TypeError', message: 'The claims must be a plain object'
    })
  }
})

test('signSerialize fills aud and exp as the Python library does', () => {
  const before = Date.now() / 1000
  const token = signSerialize(README_KEY, { data: [1], iat: 7 })
  const { payload } = verify(token, { audience: null })

  assert.equal(payload.aud, null)
  assert.ok(payload.exp! >= before + 3600 && payload.exp! <= Date.now() / 1000 + 3600)
  assert.deepEqual(payload.data, [1])
  assert.equal(payload.iat, 7)
  assert.equal(Object.hasOwn(payload, 'audience') || Object.hasOwn(payload, 'expireAfter'), false)
})

test('signSerialize: audience, expireAfter seconds, and expireAfter false as 2^31', () => {
  const soon = verify(signSerialize(README_KEY, { audience: '/v3/echo', expireAfter: 5 }), {
    audience: '/v3/echo'
  }).payload
  assert.ok(Math.abs(soon.exp! - (Date.now() / 1000 + 5)) < 2)

  const never = verify(signSerialize(README_KEY, { expireAfter: false }), { audience: null })
  assert.equal(never.payload.exp, NEVER)
  assert.ok(signSerialize(README_KEY).length > 0)
})

test('exp: valid up to and including the second it names, then expired', () => {
  const token = sign({ aud: null, exp: 1000.5 }, README_KEY)

  assert.ok(verify(token, { audience: null, currentTime: 1000.5 }))
  throwsBitjws(
    () => verify(token, { audience: null, currentTime: 1000.51 }),
    'ERR_BITJWS_EXPIRED', 'The message has expired'
  )
})

test('clockTolerance lets a just-expired message through, and no further', () => {
  const token = sign({ aud: null, exp: 1000 }, README_KEY)

  assert.ok(verify(token, { audience: null, currentTime: 1030, clockTolerance: 30 }))
  throwsBitjws(
    () => verify(token, { audience: null, currentTime: 1030.1, clockTolerance: 30 }),
    'ERR_BITJWS_EXPIRED', 'The message has expired'
  )
})

test('the system clock is the default current time', () => {
  const now = Date.now() / 1000
  assert.ok(verify(sign({ aud: null, exp: now + 60 }, README_KEY), { audience: null }))
  throwsBitjws(
    () => verify(sign({ aud: null, exp: now - 60 }, README_KEY), { audience: null }),
    'ERR_BITJWS_EXPIRED', 'The message has expired'
  )
})

test('checkExpiration false skips exp entirely, even when it is missing or malformed', () => {
  const claimSets: object[] = [{ aud: null }, { aud: null, exp: 'soon' }, { aud: null, exp: 1 }]
  for (const claims of claimSets) {
    const token = sign(claims as BitjwsClaims, README_KEY)
    assert.ok(verify(token, { audience: null, checkExpiration: false }))
  }
})

test('audience: exact match of strings and null; false skips the check', () => {
  const cases: Array<[string | null, string | null]> = [
    ['/echo', '/echo'],
    ['https://example.com/api/login', 'https://example.com/api/login'],
    [null, null]
  ]
  for (const [aud, audience] of cases) {
    assert.equal(verify(sign({ aud, exp: NEVER }, README_KEY), { audience }).payload.aud, aud)
  }
  assert.ok(verify(sign({ exp: NEVER }, README_KEY), { audience: false }))
  const numericAud = { aud: 7, exp: NEVER } as unknown as BitjwsClaims
  assert.ok(verify(sign(numericAud, README_KEY), { audience: false }))
})

test('decodePayload false returns the payload bytes exactly as signed', () => {
  const token = sign({ aud: null, exp: NEVER, data: 'é' }, README_KEY)
  const { payload } = verify(token, { audience: null, decodePayload: false })

  assert.ok(Buffer.isBuffer(payload))
  assert.deepEqual(payload, Buffer.from(segmentsOf(token)[1], 'base64url'))
})

test('decodePayload false still checks exp and aud', () => {
  const token = sign({ aud: '/a', exp: 1 }, README_KEY)
  throwsBitjws(
    () => verify(token, { audience: '/a', decodePayload: false }),
    'ERR_BITJWS_EXPIRED', 'The message has expired'
  )
})

test('decoded kids are cached, and a flood of new kids changes no outcome', () => {
  const key = new SigningKey(README_KEY)
  const token = sign({ aud: null, exp: NEVER }, key)
  const [, payload, signature] = segmentsOf(token)
  assert.ok(verify(token, { audience: null }))

  // More distinct valid kids than the cache holds, each with a foreign signature.
  for (let index = 0; index < 1100; index++) {
    const kid = publicKeyToAddress(Buffer.from(index.toString(16).padStart(66, '0'), 'hex'))
    const header = jsonSegment({ alg: 'CUSTOM-BITCOIN-SIGN', kid })
    throwsBitjws(
      () => verify(`${header}.${payload}.${signature}`, { audience: null }),
      'ERR_BITJWS_SIGNATURE_INVALID', 'The signature is not valid'
    )
  }

  assert.ok(verify(token, { audience: null }))
  throwsBitjws(
    () => verify(token, { audience: null, networks: ['testnet'] }),
    'ERR_BITJWS_NETWORK_NOT_ALLOWED', 'Addresses of mainnet may not sign here'
  )
})

test('once a kid has verified, forgeries under that kid are still refused', () => {
  const key = new SigningKey(encodeWif(Buffer.alloc(32, 9)))
  const claims = { aud: null, exp: NEVER }
  const [header, payload, signature] = segmentsOf(sign(claims, key))
  const uncompressedTwin = segmentsOf(
    sign(claims, new SigningKey(encodeWif(Buffer.alloc(32, 9), { compressed: false })))
  )[2]
  const otherSigner = segmentsOf(sign(claims, new SigningKey(Buffer.alloc(32, 10))))[2]

  for (let round = 0; round < 2; round++) {
    assert.ok(verify(`${header}.${payload}.${signature}`, { audience: null }))
    for (const forged of [uncompressedTwin, otherSigner]) {
      throwsBitjws(
        () => verify(`${header}.${payload}.${forged}`, { audience: null }),
        'ERR_BITJWS_SIGNATURE_INVALID', 'The signature is not valid'
      )
    }
  }
})

test('NaN or negative timing options are a TypeError, not an expiry check switched off', () => {
  const token = sign({ aud: '/x', exp: 1 }, generatePrivateKey())
  for (const [options, message] of [
    [{ clockTolerance: NaN }, 'The `clockTolerance` option must be a finite, non-negative number'],
    [{ clockTolerance: -1 }, 'The `clockTolerance` option must be a finite, non-negative number'],
    [{ currentTime: NaN }, 'The `currentTime` option must be a finite number of seconds']
  ] as const) {
    assert.throws(() => verify(token, { audience: '/x', ...options }), { name: 'TypeError', message })
  }
})

test('a cached header is a copy: changing one result does not change the next', () => {
  const key = new SigningKey(generatePrivateKey())
  const token = sign({ aud: '/x', exp: NEVER }, key)
  const first = verify(token, { audience: '/x' })
  first.header.kid = 'changed'
  first.header.extra = 1
  const second = verify(token, { audience: '/x' })
  assert.deepEqual(second.header, { alg: 'CUSTOM-BITCOIN-SIGN', kid: key.address, typ: 'JWT' })
})

test('a header with nested values is not shared between results', () => {
  const key = new SigningKey(generatePrivateKey())
  const header = { alg: 'CUSTOM-BITCOIN-SIGN', kid: key.address, jwk: { use: 'sig' } }
  const token = signSegments(key, jsonSegment(header), jsonSegment({ aud: '/x', exp: NEVER }))
  const nested = verify(token, { audience: '/x' }).header.jwk as { use: string }
  nested.use = 'changed'
  assert.deepEqual(verify(token, { audience: '/x' }).header.jwk, { use: 'sig' })
})

test('a header cached under one network setting is still refused under another', () => {
  const key = new SigningKey(generatePrivateKey({ network: 'testnet' }))
  const token = sign({ aud: '/x', exp: NEVER }, key)
  assert.equal(verify(token, { audience: '/x', networks: ['testnet'] }).header.kid, key.address)
  throwsBitjws(() => verify(token, { audience: '/x' }), 'ERR_BITJWS_NETWORK_NOT_ALLOWED',
    'Addresses of testnet may not sign here')
})
