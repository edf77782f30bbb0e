import assert from 'node:assert/strict'
import { test } from 'node:test'
import bitcoinMessage from 'bitcoinjs-message'
import {
  SigningKey, encodeWif, generatePrivateKey, sign, signMultisig, verifyMultisig,
  type MultisigMessage, type MultisigVerifyOptions
} from '../../lib/index.js'
import {
  NEVER, README_KEY, jsonSegment, segmentsOf, signSegments, signatureBytes, throwsBitjws
} from '../helpers/codec.js'

const keys = [
  new SigningKey(README_KEY),
  new SigningKey(encodeWif(Buffer.alloc(32, 2), { compressed: false })),
  new SigningKey(Buffer.alloc(32, 3))
]
const claims = { aud: '/multi', exp: NEVER, data: { n: 1 } }
const text = signMultisig(claims, keys)
const message: MultisigMessage = JSON.parse(text)
const options: MultisigVerifyOptions = { audience: '/multi' }

const MALFORMED = 'The message must be JSON with a payload and a non-empty list of signatures'
const SIGNATURE = 'The signature is not valid'

function variant (change: (copy: MultisigMessage) => void): MultisigMessage {
  const copy: MultisigMessage = structuredClone(message)
  change(copy)
  return copy
}

test('signMultisig: every key signs the one payload, in order', () => {
  const { headers, payload } = verifyMultisig(text, options)

  assert.deepEqual(headers.map((header) => header.kid), keys.map((key) => key.address))
  assert.deepEqual(payload, claims)
  assert.deepEqual(Object.keys(message), ['payload', 'signatures'])
  for (const [index, entry] of message.signatures.entries()) {
    assert.equal(entry.protected, keys[index]?.protectedHeader)
    // Each entry is exactly the compact form's header and signature for this payload.
    assert.equal(
      `${entry.protected}.${message.payload}.${entry.signature}`,
      sign(claims, keys[index] as SigningKey)
    )
  }
})

test('each multisig signature is a Bitcoin message signature bitcoinjs-message accepts', () => {
  for (const [index, entry] of message.signatures.entries()) {
    const signingInput = `${entry.protected}.${message.payload}`
    assert.ok(bitcoinMessage.verify(
      signingInput, keys[index]!.address, signatureBytes(entry.signature)
    ))
  }
})

test('verifyMultisig accepts the parsed object as well as its JSON text', () => {
  assert.deepEqual(verifyMultisig(message, options), verifyMultisig(text, options))
})

test('a single signer, and Python spacing with keys in any order', () => {
  const single = JSON.parse(signMultisig(claims, [keys[0] as SigningKey]))
  const pythonStyle = `{"signatures": [{"signature": "${single.signatures[0].signature}", ` +
    `"protected": "${single.signatures[0].protected}"}], "payload": "${single.payload}"}`

  assert.equal(verifyMultisig(pythonStyle, options).headers[0]?.kid, keys[0]?.address)
})

test('decodePayload false returns the payload bytes', () => {
  const { payload } = verifyMultisig(text, { ...options, decodePayload: false })
  assert.deepEqual(payload, Buffer.from(message.payload, 'base64url'))
})

test('networks apply to every signer', () => {
  const testnet = new SigningKey(generatePrivateKey({ network: 'testnet' }))
  const mixed = signMultisig(claims, [keys[0] as SigningKey, testnet])

  throwsBitjws(
    () => verifyMultisig(mixed, options),
    'ERR_BITJWS_NETWORK_NOT_ALLOWED', 'Addresses of testnet may not sign here'
  )
  assert.equal(
    verifyMultisig(mixed, { ...options, networks: ['mainnet', 'testnet'] }).headers.length, 2
  )
})

test('claims are checked once, after every signature', () => {
  const expired = signMultisig({ aud: '/multi', exp: 1 }, keys)
  throwsBitjws(
    () => verifyMultisig(expired, options), 'ERR_BITJWS_EXPIRED', 'The message has expired'
  )
  throwsBitjws(
    () => verifyMultisig(text, { audience: '/other' }),
    'ERR_BITJWS_AUDIENCE_MISMATCH', 'The message was not addressed to this audience'
  )
})

const malformedCases: Array<[string, unknown]> = [
  ['not JSON', '{"payload": '],
  ['JSON null', 'null'],
  ['a JSON array', '[]'],
  ['a JSON number', '5'],
  ['an empty signatures list', variant((copy) => { copy.signatures = [] })],
  ['no signatures', JSON.stringify({ payload: message.payload })],
  ['signatures not a list', { payload: message.payload, signatures: message.signatures[0] }],
  ['no payload', { signatures: message.signatures }],
  ['a payload that is not a string', { ...message, payload: claims }],
  ['an entry that is null', { ...message, signatures: [...message.signatures, null] }],
  ['an entry without protected', variant((copy) => {
    delete (copy.signatures[1] as Partial<MultisigMessage['signatures'][0]>).protected
  })],
  ['an entry whose signature is not a string', variant((copy) => {
    (copy.signatures[2] as { signature: unknown }).signature = 42
  })],
  ['a compact token instead', sign(claims, keys[0] as SigningKey)]
]

for (const [name, input] of malformedCases) {
  test(`verifyMultisig refuses ${name}`, () => {
    throwsBitjws(
      () => verifyMultisig(input as MultisigMessage, options), 'ERR_BITJWS_MALFORMED', MALFORMED
    )
  })
}

test('not JSON keeps the parser error as its cause', () => {
  const error = throwsBitjws(
    () => verifyMultisig('{', options), 'ERR_BITJWS_MALFORMED', MALFORMED
  )
  assert.ok(error.cause instanceof SyntaxError)
})

test('more signatures than maxSignatures are refused before any is checked', () => {
  const many = variant((copy) => {
    copy.signatures = Array.from({ length: 17 }, () => ({ protected: 'x', signature: 'y' }))
  })
  throwsBitjws(
    () => verifyMultisig(many, options),
    'ERR_BITJWS_MALFORMED', 'The message carries more than 16 signatures'
  )
  throwsBitjws(
    () => verifyMultisig(text, { ...options, maxSignatures: 2 }),
    'ERR_BITJWS_MALFORMED', 'The message carries more than 2 signatures'
  )
  assert.equal(verifyMultisig(text, { ...options, maxSignatures: 3 }).headers.length, 3)
})

const badSignatureCases: Array<[string, MultisigMessage]> = [
  ['one bad signature among good ones', variant((copy) => {
    const bytes = signatureBytes(copy.signatures[1]!.signature)
    bytes[40] = bytes[40]! ^ 1
    copy.signatures[1]!.signature = encodeSignature(bytes)
  })],
  ['two entries whose signatures are swapped', variant((copy) => {
    const first = copy.signatures[0]!
    const second = copy.signatures[1]!
    const signature = first.signature
    first.signature = second.signature
    second.signature = signature
  })],
  ['a payload replaced after signing', variant((copy) => {
    copy.payload = jsonSegment({ ...claims, data: { n: 2 } })
  })],
  ['an entry copied from another message', variant((copy) => {
    const other = segmentsOf(sign({ ...claims, aud: '/elsewhere' }, keys[2] as SigningKey))
    copy.signatures[2] = { protected: other[0], signature: other[2] }
  })]
]

function encodeSignature (bytes: Buffer): string {
  return Buffer.from(bytes.toString('base64')).toString('base64url')
}

for (const [name, input] of badSignatureCases) {
  test(`verifyMultisig refuses ${name}`, () => {
    throwsBitjws(
      () => verifyMultisig(input, options), 'ERR_BITJWS_SIGNATURE_INVALID', SIGNATURE
    )
  })
}

test('header errors in any entry carry their own codes', () => {
  const noneAlg = variant((copy) => {
    copy.signatures[1]!.protected = jsonSegment({ alg: 'none', kid: keys[1]!.address })
  })
  throwsBitjws(
    () => verifyMultisig(noneAlg, options),
    'ERR_BITJWS_ALGORITHM_UNSUPPORTED', "The header's alg must be CUSTOM-BITCOIN-SIGN"
  )

  const badKid = variant((copy) => {
    copy.signatures[2]!.protected = jsonSegment({ alg: 'CUSTOM-BITCOIN-SIGN', kid: 'me' })
  })
  throwsBitjws(
    () => verifyMultisig(badKid, options),
    'ERR_BITJWS_KID_INVALID', "The header's kid must be a P2PKH address"
  )
})

test('a validly signed payload that is not canonical base64url is malformed', () => {
  const payload = jsonSegment({ ...claims, x: 'y' }).replace(/.$/, (last) => last + '=')
  const entry = segmentsOf(signSegments(keys[0] as SigningKey, keys[0]!.protectedHeader, payload))
  const input = { payload, signatures: [{ protected: entry[0], signature: entry[2] }] }

  throwsBitjws(
    () => verifyMultisig(input, options),
    'ERR_BITJWS_MALFORMED', 'The payload segment is not canonical base64url'
  )
})

test('the audience option is required here too', () => {
  assert.throws(() => verifyMultisig(text, {} as MultisigVerifyOptions), {
    name: 'TypeError',
    message: 'The `audience` option must be a string, null, or false to skip the audience check'
  })
})

test('signMultisig needs a non-empty array of keys and plain-object claims', () => {
  for (const privateKeys of [[], undefined, 'key']) {
    assert.throws(() => signMultisig(claims, privateKeys as never), {
      name: 'TypeError', message: 'signMultisig needs a non-empty array of private keys'
    })
  }
  assert.throws(() => signMultisig([] as never, keys), {
    name: 'TypeError', message: 'The claims must be a plain object'
  })
  throwsBitjws(
    () => signMultisig(claims, [Buffer.alloc(32)]),
    'ERR_BITJWS_KEY_INVALID', 'The private key must be 32 bytes within the curve order'
  )
})

test('maxSignatures must be a positive integer', () => {
  for (const maxSignatures of [NaN, 0, 1.5]) {
    assert.throws(() => verifyMultisig(message, { ...options, maxSignatures }), {
      name: 'TypeError', message: 'The `maxSignatures` option must be a positive integer'
    })
  }
})

test('a bad payload is refused before any signature is checked', () => {
  const broken = variant((copy) => {
    copy.payload = '!' + copy.payload
    for (const entry of copy.signatures) entry.signature = 'A'
  })
  throwsBitjws(() => verifyMultisig(broken, options), 'ERR_BITJWS_MALFORMED',
    'The payload segment is not canonical base64url')
})
