import assert from 'node:assert/strict'
import { test } from 'node:test'
import bitcoinMessage from 'bitcoinjs-message'
import {
  SigningKey, messageDigest, publicKeyOf, recoverPublicKey
} from '../../lib/index.js'
import {
  compactSizeLength, recoverPublicKeyTransiently, signDigest, writeCompactSize, writeMessageDigest
} from '../../lib/codec/message.js'
import { secp256k1 } from '../../lib/codec/native.js'
import { CURVE_ORDER, README_KEY, highSTwin, throwsBitjws } from '../helpers/codec.js'

const INVALID = 'The signature is not valid'
const HALF_ORDER = CURVE_ORDER / 2n

const compactSizes: Array<[number, string]> = [
  [0, '00'],
  [252, 'fc'],
  [253, 'fdfd00'],
  [254, 'fdfe00'],
  [65535, 'fdffff'],
  [65536, 'fe00000100'],
  [0xffffffff, 'feffffffff'],
  [2 ** 32, 'ff0000000001000000'],
  [Number.MAX_SAFE_INTEGER, 'ffffffffffffff1f00']
]

for (const [value, hex] of compactSizes) {
  test(`CompactSize of ${value} is ${hex}`, () => {
    const target = Buffer.alloc(12, 0xaa)
    const next = writeCompactSize(target, value, 2)

    assert.equal(compactSizeLength(value), hex.length / 2)
    assert.equal(next, 2 + hex.length / 2)
    assert.equal(target.subarray(2, next).toString('hex'), hex)
    assert.equal(target[0], 0xaa)
    assert.equal(target[next], 0xaa)
  })
}

// 4068 and 4069 bytes fill the reused hashing buffer exactly and overflow it by one.
for (const length of [0, 1, 252, 253, 4068, 4069, 65535, 65536, 70000]) {
  test(`messageDigest matches bitcoinjs-message's magicHash for ${length} bytes`, () => {
    const text = 'x'.repeat(length)
    const expected = bitcoinMessage.magicHash(text)

    assert.deepEqual(messageDigest(text), expected)
    assert.deepEqual(messageDigest(Buffer.from(text)), expected)
  })
}

test('messageDigest takes a string as its UTF-8 bytes, as Bitcoin message signing does', () => {
  for (const text of ['héllo', 'ā', '€ 100', '😀', 'a\u0000b']) {
    assert.deepEqual(messageDigest(text), bitcoinMessage.magicHash(text), text)
    assert.deepEqual(messageDigest(text), messageDigest(Buffer.from(text, 'utf8')), text)
  }
  // U+0100 and U+0000 would collide if characters were truncated to one byte.
  assert.notDeepEqual(messageDigest('\u0100'), messageDigest('\u0000'))
})

test('a digest is its own buffer: later digests, long or short, leave it alone', () => {
  const first = messageDigest('first')
  const copy = Buffer.from(first)
  messageDigest('second')
  messageDigest('x'.repeat(5000))
  messageDigest('third')
  assert.deepEqual(first, copy)
  assert.deepEqual(first, bitcoinMessage.magicHash('first'))
})

test('writeMessageDigest fills exactly the 32 bytes it is given, for short and long input', () => {
  for (const text of ['m', 'x'.repeat(5000)]) {
    const target = Buffer.alloc(32, 0xaa)
    assert.equal(writeMessageDigest(text, target), target)
    assert.deepEqual(target, bitcoinMessage.magicHash(text))
  }
})

test('signMessage of non-ASCII text is a Bitcoin message signature of its UTF-8 bytes', () => {
  const key = new SigningKey(README_KEY)
  const text = 'Grüße, 世界'

  assert.ok(bitcoinMessage.verify(text, key.address, key.signMessage(text)))
})

test('signDigest makes low-S signatures that recover the signing key', () => {
  for (const compressed of [true, false]) {
    for (let index = 0; index < 16; index++) {
      const digest = messageDigest(`message ${index}`)
      const signature = signDigest(digest, README_KEY, compressed)
      const s = BigInt('0x' + signature.subarray(33).toString('hex'))

      assert.equal(signature.length, 65)
      assert.ok(s <= HALF_ORDER)
      assert.equal(signature[0]! >= 31, compressed)
      assert.deepEqual(recoverPublicKey(digest, signature), publicKeyOf(README_KEY, compressed))
    }
  }
})

test('recoverPublicKey refuses signatures that are not 65 bytes', () => {
  const signature = signDigest(messageDigest('m'), README_KEY, true)
  for (const length of [0, 64, 66]) {
    const resized = Buffer.alloc(length)
    signature.copy(resized, 0, 0, Math.min(length, 65))
    throwsBitjws(
      () => recoverPublicKey(messageDigest('m'), resized), 'ERR_BITJWS_SIGNATURE_INVALID', INVALID
    )
  }
})

test('recoverPublicKey refuses flags outside 27–34', () => {
  const digest = messageDigest('m')
  const signature = signDigest(digest, README_KEY, true)
  for (const flag of [0, 26, 35, 39, 255]) {
    signature[0] = flag
    throwsBitjws(
      () => recoverPublicKey(digest, signature), 'ERR_BITJWS_SIGNATURE_INVALID', INVALID
    )
  }
})

test('recoverPublicKey refuses the high-S twin that the bare recovery accepts', () => {
  for (const compressed of [true, false]) {
    const digest = messageDigest(`twin ${compressed}`)
    const signature = signDigest(digest, README_KEY, compressed)
    const twin = highSTwin(signature)
    const twinRecid = (twin[0]! - 27) & 3

    // The twin is a genuine signature by the same key: only the low-S rule refuses it.
    assert.deepEqual(
      secp256k1.ecdsaRecover(twin.subarray(1), twinRecid, digest, compressed),
      publicKeyOf(README_KEY, compressed)
    )
    throwsBitjws(() => recoverPublicKey(digest, twin), 'ERR_BITJWS_SIGNATURE_INVALID', INVALID)
  }
})

test('recoverPublicKey wraps a failed recovery with its cause', () => {
  const digest = messageDigest('m')
  const zeroR = signDigest(digest, README_KEY, true)
  zeroR.fill(0, 1, 33)
  const overflowR = signDigest(digest, README_KEY, true)
  overflowR.fill(0xff, 1, 33)

  for (const signature of [zeroR, overflowR]) {
    const error = throwsBitjws(
      () => recoverPublicKey(digest, signature), 'ERR_BITJWS_SIGNATURE_INVALID', INVALID
    )
    assert.ok(error.cause instanceof Error)
  }
})

test('the low-S bound is inclusive: s = n/2 reaches recovery, n/2 + 1 does not', () => {
  const digest = messageDigest('m')
  const signature = signDigest(digest, README_KEY, true)
  Buffer.from(HALF_ORDER.toString(16), 'hex').copy(signature, 33)

  // r comes from a real signature, so it is a curve point and recovery yields some key.
  assert.equal(recoverPublicKey(digest, signature).length, 33)

  Buffer.from((HALF_ORDER + 1n).toString(16), 'hex').copy(signature, 33)
  const error = throwsBitjws(
    () => recoverPublicKey(digest, signature), 'ERR_BITJWS_SIGNATURE_INVALID', INVALID
  )
  assert.equal(error.cause, undefined)
})

test('a transient recovery gives the same key as recoverPublicKey, in a reused buffer', () => {
  const seen = new Map<boolean, Uint8Array>()
  for (const compressed of [true, false, true, false]) {
    for (const text of ['one', 'two']) {
      const digest = messageDigest(text)
      const signature = signDigest(digest, README_KEY, compressed)
      const key = recoverPublicKeyTransiently(digest, signature)

      assert.deepEqual(key, recoverPublicKey(digest, signature))
      assert.deepEqual(key, publicKeyOf(README_KEY, compressed))
      // One buffer per serialization serves every call: the caller copies what it keeps.
      assert.equal(key, seen.get(compressed) ?? key)
      seen.set(compressed, key)
    }
  }
  assert.notEqual(seen.get(true), seen.get(false))
})

test('a transient recovery refuses what recoverPublicKey refuses', () => {
  const digest = messageDigest('m')
  const signature = signDigest(digest, README_KEY, true)
  const badFlag = Buffer.concat([Buffer.from([26]), signature.subarray(1)])
  for (const bad of [highSTwin(signature), badFlag]) {
    throwsBitjws(
      () => recoverPublicKeyTransiently(digest, bad), 'ERR_BITJWS_SIGNATURE_INVALID', INVALID
    )
  }
})
