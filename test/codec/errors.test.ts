import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  BITJWS_ERROR_CODES, BitjwsError, SigningKey, decodeAddress, decodeWif, encodeBase64url,
  generatePrivateKey, isBitjwsError, sign, verify, type BitjwsErrorCode, type VerifyOptions
} from '../../lib/index.js'
import {
  NEVER, README_KEY, highSTwin, jsonSegment, segmentsOf, signSegments, signatureBytes,
  signatureSegment, throwsBitjws
} from '../helpers/codec.js'

const key = new SigningKey(README_KEY)
const otherKey = new SigningKey(Buffer.alloc(32, 2))
const testnetKey = new SigningKey(generatePrivateKey({ network: 'testnet' }))
const claims = { aud: '/a', exp: NEVER }
const valid = sign(claims, key)
const [header, payload, signature] = segmentsOf(valid)
const rawSignature = signatureBytes(signature)
const standardText = rawSignature.toString('base64')

const MALFORMED = 'The message must be three non-empty base64url segments'
const SIGNATURE = 'The signature is not valid'
const ALG = "The header's alg must be CUSTOM-BITCOIN-SIGN"
const KID = "The header's kid must be a P2PKH address"
const AUDIENCE = 'The message was not addressed to this audience'
const PAYLOAD = 'The payload must be a JSON object nested at most 64 deep'

/** A JSON object `depth` containers deep, counting itself: {"n":[[…]]}. */
function nested (depth: number, fields = '"aud":"/a","exp":2147483648'): string {
  return `{${fields},"n":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`
}

const headerFields = `"alg":"CUSTOM-BITCOIN-SIGN","kid":"${key.address}"`

function withHeader (fields: Record<string, unknown>): string {
  return signSegments(key, jsonSegment(fields), payload)
}

function withClaims (value: unknown): string {
  return signSegments(key, header, jsonSegment(value))
}

function withPayloadText (text: string): string {
  return signSegments(key, header, encodeBase64url(text))
}

function withSignatureText (text: string | Uint8Array): string {
  return `${header}.${payload}.${encodeBase64url(text)}`
}

function withSignature (bytes: Uint8Array): string {
  return `${header}.${payload}.${signatureSegment(bytes)}`
}

function flipped (byteIndex: number): Buffer {
  const copy = Buffer.from(rawSignature)
  copy[byteIndex] = (copy[byteIndex] as number) ^ 1
  return copy
}

/** The same bytes spelled with unused trailing bits set: Node would decode it alike. */
function nonCanonical (segment: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  assert.ok(segment.length % 4 === 2 || segment.length % 4 === 3)
  const last = alphabet.indexOf(segment.at(-1) as string)
  const variant = segment.slice(0, -1) + alphabet[last | 1]
  assert.deepEqual(Buffer.from(variant, 'base64url'), Buffer.from(segment, 'base64url'))
  return variant
}

/** A header segment whose length leaves unused bits in its last character. */
const oddHeader = jsonSegment({ alg: 'CUSTOM-BITCOIN-SIGN', kid: key.address, x: 'y' })
const oddPayload = jsonSegment({ aud: '/a', exp: NEVER, x: 'yz' })

interface Case {
  name: string
  token: unknown
  options?: Partial<VerifyOptions>
  code: BitjwsErrorCode
  message: string
}

function malformed (name: string, token: unknown, message = MALFORMED): Case {
  return { name, token, code: 'ERR_BITJWS_MALFORMED', message }
}

function withFlag (flag: number): string {
  return withSignature(Buffer.concat([Buffer.from([flag]), rawSignature.subarray(1)]))
}

const cases: Case[] = [
  malformed('two segments', `${header}.${payload}`),
  malformed('four segments', `${valid}.${signature}`),
  malformed('empty header segment', `.${payload}.${signature}`),
  malformed('empty payload segment', `${header}..${signature}`),
  malformed('empty signature segment', `${header}.${payload}.`),
  malformed('empty string', ''),
  malformed('not a string', Buffer.from(valid)),
  malformed('standard base64 "+"', valid.replace(/^./, '+')),
  malformed('standard base64 "/"', valid.replace(/^./, '/')),
  malformed('non-ASCII character', valid.replace(/^./, 'é')),
  malformed('trailing newline', valid + '\n'),
  malformed('padding "="', `${header}=.${payload}.${signature}`),
  malformed(
    'header of impossible length (4n + 1)', `eyJhb.${payload}.${signature}`,
    'The header segment is not canonical base64url'
  ),
  malformed(
    'header with non-canonical trailing bits',
    signSegments(key, nonCanonical(oddHeader), payload),
    'The header segment is not canonical base64url'
  ),
  malformed(
    'payload with non-canonical trailing bits, validly signed',
    signSegments(key, header, nonCanonical(oddPayload)),
    'The payload segment is not canonical base64url'
  ),
  ...['not json', '[]', 'null', '"CUSTOM-BITCOIN-SIGN"', '5', '{"alg":'].map((text): Case => ({
    name: `header ${text}`,
    token: signSegments(key, encodeBase64url(text), payload),
    code: 'ERR_BITJWS_HEADER_INVALID',
    message: 'The header must be a JSON object'
  })),
  ...[{ alg: 'none' }, { alg: 'HS256' }, { alg: 'custom-bitcoin-sign' }, { alg: 'ES256K' }, {}]
    .map((fields): Case => ({
      name: `alg ${JSON.stringify(fields.alg)}`,
      token: withHeader({ ...fields, kid: key.address }),
      code: 'ERR_BITJWS_ALGORITHM_UNSUPPORTED',
      message: ALG
    })),
  ...['foo', 123, null, key.address.toLowerCase(), '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', undefined]
    .map((kid): Case => ({
      name: `kid ${JSON.stringify(kid)}`,
      token: withHeader({ alg: 'CUSTOM-BITCOIN-SIGN', kid }),
      code: 'ERR_BITJWS_KID_INVALID',
      message: KID
    })),
  {
    name: 'testnet kid, default networks',
    token: sign(claims, testnetKey),
    code: 'ERR_BITJWS_NETWORK_NOT_ALLOWED',
    message: 'Addresses of testnet may not sign here'
  },
  {
    name: 'mainnet kid, testnet only',
    token: valid,
    options: { networks: ['testnet'] },
    code: 'ERR_BITJWS_NETWORK_NOT_ALLOWED',
    message: 'Addresses of mainnet may not sign here'
  },
  ...([
    ['signature as single base64url of the raw bytes', withSignatureText(rawSignature)],
    ['inner text unpadded (87 characters)', withSignatureText(standardText.slice(0, -1))],
    ['inner text with a second "="', withSignatureText(standardText + '=')],
    ['inner text in the url-safe alphabet', withSignatureText('-' + standardText.slice(1))],
    ['inner text with unused bits set', withSignatureText(standardText.slice(0, 86) + 'B=')],
    ['inner text with a newline', withSignatureText(
      standardText.slice(0, 60) + '\n' + standardText.slice(60)
    )],
    ['outer layer with unused bits set', `${header}.${payload}.${nonCanonical(signature)}`],
    ['outer layer a character short', `${header}.${payload}.${signature.slice(1)}`],
    ['outer layer a character long', `${header}.${payload}.${signature}A`],
    ['64-byte signature', withSignature(rawSignature.subarray(0, 64))],
    ['66-byte signature', withSignature(Buffer.concat([rawSignature, Buffer.from([0])]))],
    ['flag 26', withFlag(26)],
    ['flag 35', withFlag(35)],
    ['flag claiming an uncompressed key', withFlag(rawSignature[0]! - 4)],
    ['bit flipped in r', withSignature(flipped(10))],
    ['bit flipped in s', withSignature(flipped(64))],
    ['high-S twin of the valid signature', withSignature(highSTwin(rawSignature))],
    ['signed by another key', `${header}.${payload}.${segmentsOf(sign(claims, otherKey))[2]}`],
    [
      'payload swapped after signing',
      `${header}.${jsonSegment({ ...claims, x: 1 })}.${signature}`
    ],
    [
      'signature of another message by the same key',
      `${header}.${payload}.${segmentsOf(sign({ ...claims, aud: '/b' }, key))[2]}`
    ]
  ] as const).map(([name, token]): Case => ({
    name, token, code: 'ERR_BITJWS_SIGNATURE_INVALID', message: SIGNATURE
  })),
  ...['not json', '[]', 'null', '5', '"claims"', '{"aud":'].map((text): Case => ({
    name: `payload ${text}`,
    token: withPayloadText(text),
    code: 'ERR_BITJWS_PAYLOAD_INVALID',
    message: PAYLOAD
  })),
  {
    name: 'payload nested 65 deep',
    token: withPayloadText(nested(65)),
    code: 'ERR_BITJWS_PAYLOAD_INVALID',
    message: PAYLOAD
  },
  {
    name: 'payload nested 65 deep after a string that ends in an escaped backslash',
    token: withPayloadText(nested(65, '"aud":"/a","exp":2147483648,"s":"x\\\\"')),
    code: 'ERR_BITJWS_PAYLOAD_INVALID',
    message: PAYLOAD
  },
  {
    name: 'header nested 65 deep',
    token: signSegments(key, encodeBase64url(nested(65, headerFields)), payload),
    code: 'ERR_BITJWS_HEADER_INVALID',
    message: 'The header must be a JSON object'
  },
  ...['2038', null, true, {}, [1]].map((exp): Case => ({
    name: `exp ${JSON.stringify(exp)}`,
    token: withClaims({ aud: '/a', exp }),
    code: 'ERR_BITJWS_CLAIM_INVALID',
    message: 'The exp claim must be a number'
  })),
  {
    name: 'exp missing',
    token: withClaims({ aud: '/a' }),
    code: 'ERR_BITJWS_EXPIRED',
    message: 'The message has no exp claim'
  },
  {
    name: 'expired',
    token: withClaims({ aud: '/a', exp: 1 }),
    code: 'ERR_BITJWS_EXPIRED',
    message: 'The message has expired'
  },
  ...([
    ['/b', '/a'],
    ['/a/', '/a'],
    ['/a', '/a/'],
    ['/A', '/a'],
    [['/a'], '/a'],
    [null, '/a'],
    ['/accounts/1', '/accounts/2'],
    [undefined, null],
    ['null', null],
    ['', null]
  ] as const).map(([aud, audience]): Case => ({
    name: `aud ${JSON.stringify(aud)} for audience ${JSON.stringify(audience)}`,
    token: withClaims({ aud, exp: NEVER }),
    options: { audience },
    code: 'ERR_BITJWS_AUDIENCE_MISMATCH',
    message: AUDIENCE
  }))
]

const provoked = new Set<BitjwsErrorCode>()

for (const { name, token, options, code, message } of cases) {
  test(`verify refuses ${name}: ${code}`, () => {
    const error = throwsBitjws(
      () => verify(token as string, { audience: '/a', ...options }), code, message
    )
    assert.ok(isBitjwsError(error))
    provoked.add(code)
  })
}

test('the valid token that every case above was derived from verifies', () => {
  assert.deepEqual(verify(valid, { audience: '/a' }).payload, claims)
  assert.ok(verify(signSegments(key, oddHeader, oddPayload), { audience: '/a' }))
})

test('nesting: 64 levels pass; brackets inside strings or side by side do not count', () => {
  assert.ok(verify(withPayloadText(nested(64)), { audience: '/a' }))
  const header64 = encodeBase64url(nested(64, headerFields))
  assert.ok(verify(signSegments(key, header64, payload), { audience: '/a' }))

  const bracketsInStrings = [
    `{"aud":"/a","exp":${NEVER},"s":"${'['.repeat(200)}"}`,
    `{"aud":"/a","exp":${NEVER},"s":"\\"${'{'.repeat(200)}"}`,
    // Many brackets, little depth: wide is not deep.
    `{"aud":"/a","exp":${NEVER},"list":[${Array(200).fill('{"a":[]}').join(',')}]}`
  ]
  for (const text of bracketsInStrings) {
    assert.ok(JSON.parse(text))
    assert.ok(verify(withPayloadText(text), { audience: '/a' }), text)
  }
})

test('an invalid kid keeps the address error as its cause', () => {
  const error = throwsBitjws(
    () => verify(withHeader({ alg: 'CUSTOM-BITCOIN-SIGN', kid: 'foo' }), { audience: '/a' }),
    'ERR_BITJWS_KID_INVALID', KID
  )
  assert.ok(error.cause instanceof BitjwsError)
  assert.equal(error.cause.code, 'ERR_BITJWS_ADDRESS_INVALID')
})

test('checks run in order: header before signature, signature before claims', () => {
  const unsignedNone = `${jsonSegment({ alg: 'none', kid: key.address })}.${payload}.${signature}`
  throwsBitjws(
    () => verify(unsignedNone, { audience: '/a' }), 'ERR_BITJWS_ALGORITHM_UNSUPPORTED', ALG
  )

  // An expired, misaddressed message from someone else must not reveal its claims' fate.
  const forged = `${header}.${jsonSegment({ aud: '/x', exp: 1 })}.${signature}`
  throwsBitjws(() => verify(forged, { audience: '/a' }), 'ERR_BITJWS_SIGNATURE_INVALID', SIGNATURE)

  throwsBitjws(
    () => verify(withClaims({ aud: '/x', exp: 1 }), { audience: '/a' }),
    'ERR_BITJWS_EXPIRED', 'The message has expired'
  )
})

test('a missing or wrong audience option is a TypeError, before the token is read', () => {
  const message =
    'The `audience` option must be a string, null, or false to skip the audience check'
  const wrongOptions = [
    undefined, {}, { audience: undefined }, { audience: true }, { audience: 5 }
  ]
  for (const options of wrongOptions) {
    for (const token of [valid, 'garbage']) {
      assert.throws(() => verify(token, options as unknown as VerifyOptions), {
        name: 'TypeError', message
      })
    }
  }
})

test('key and address errors carry their codes', () => {
  throwsBitjws(
    () => decodeWif('nope'), 'ERR_BITJWS_KEY_INVALID', 'The private key is not valid WIF'
  )
  provoked.add('ERR_BITJWS_KEY_INVALID')
  throwsBitjws(
    () => decodeAddress('nope'),
    'ERR_BITJWS_ADDRESS_INVALID', 'The address is not a valid P2PKH address'
  )
  provoked.add('ERR_BITJWS_ADDRESS_INVALID')
})

test('every error code but NATIVE_UNAVAILABLE has a negative test above', () => {
  // ERR_BITJWS_NATIVE_UNAVAILABLE is raised while the module loads, once per
  // process; native.test.ts provokes it on a copy of the loader.
  assert.deepEqual(
    [...provoked].sort(),
    BITJWS_ERROR_CODES.filter((code) => code !== 'ERR_BITJWS_NATIVE_UNAVAILABLE').sort()
  )
})

test('BitjwsError: name, code, message and cause', () => {
  const cause = new Error('low level')
  const error = new BitjwsError('ERR_BITJWS_MALFORMED', 'text', { cause })

  assert.ok(error instanceof Error)
  assert.deepEqual(
    [error.name, error.code, error.message, error.cause],
    ['BitjwsError', 'ERR_BITJWS_MALFORMED', 'text', cause]
  )
  assert.equal(isBitjwsError(error), true)
  assert.equal(isBitjwsError(new Error('text')), false)
  assert.equal(isBitjwsError({ code: 'ERR_BITJWS_MALFORMED' }), false)
})
