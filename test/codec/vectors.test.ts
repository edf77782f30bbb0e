import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  SigningKey, privateKeyToAddress, sign, verify, verifyMultisig
} from '../../lib/index.js'
import {
  NEVER, jsonSegment, publishedVectors, segmentsOf, throwsBitjws
} from '../helpers/codec.js'

const compactVectors = publishedVectors.slice(0, -1)
const multisigVector = publishedVectors.at(-1)

test('the fixture file holds the published vectors, the multisig form last', () => {
  assert.equal(publishedVectors.length, 5)
  for (const vector of compactVectors) assert.equal(segmentsOf(vector.jws).length, 3)
  assert.ok(multisigVector?.jws.startsWith('{'))
})

for (const vector of compactVectors) {
  test(`published vector verifies: ${vector.source}`, () => {
    const { header, payload } = verify(vector.jws, {
      audience: vector.aud, checkExpiration: false
    })

    assert.equal(header.kid, vector.kid)
    assert.equal(header.alg, 'CUSTOM-BITCOIN-SIGN')
    assert.equal(payload.aud, vector.aud)
    assert.equal(typeof payload.exp, 'number')
  })
}

test('published multisig vector verifies with verifyMultisig', () => {
  assert.ok(multisigVector)
  const { headers, payload } = verifyMultisig(multisigVector.jws, {
    audience: multisigVector.aud, checkExpiration: false
  })

  assert.deepEqual(headers.map((header) => header.kid), [multisigVector.kid])
  assert.deepEqual(payload, { aud: null, exp: NEVER })
})

test('the README key 0101…01 reproduces the README kid', () => {
  const readme = publishedVectors.find((vector) => vector.privateKeyHex !== undefined)
  assert.ok(readme?.privateKeyHex)

  assert.equal(privateKeyToAddress(Buffer.from(readme.privateKeyHex, 'hex')), readme.kid)
  assert.equal(readme.kid, '1C6Rc3w25VHud3dLDamutaqfKWqhrLRTaD')
})

test('vectors from 2015 have expired, and expiry is checked unless turned off', () => {
  const expired = compactVectors.filter((vector) => {
    const exp = JSON.parse(Buffer.from(segmentsOf(vector.jws)[1], 'base64url').toString()).exp
    return exp < Date.now() / 1000
  })
  assert.ok(expired.length >= 2)

  for (const vector of expired) {
    throwsBitjws(
      () => verify(vector.jws, { audience: vector.aud }),
      'ERR_BITJWS_EXPIRED', 'The message has expired'
    )
  }
})

test('the signature covers the header as received: Python spacing re-serialized fails', () => {
  const readme = compactVectors[3]
  assert.ok(readme)
  const [header, payload, signature] = segmentsOf(readme.jws)
  const compactHeader = jsonSegment(JSON.parse(Buffer.from(header, 'base64url').toString()))
  assert.notEqual(compactHeader, header)

  throwsBitjws(
    () => verify(`${compactHeader}.${payload}.${signature}`, {
      audience: null, checkExpiration: false
    }),
    'ERR_BITJWS_SIGNATURE_INVALID', 'The signature is not valid'
  )
})

test('a modern signature of the README claims verifies without matching the 2015 bytes', () => {
  const key = new SigningKey(Buffer.alloc(32, 1))
  const token = sign({ aud: null, exp: NEVER }, key)
  const readme = compactVectors[3]
  assert.ok(readme)

  const { header, payload } = verify(token, { audience: null })
  assert.equal(header.kid, readme.kid)
  assert.deepEqual(payload, verify(readme.jws, { audience: null }).payload)
})
