import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import {
  decodeSignatureSegment, encodeSignatureSegment
} from '../../lib/codec/signature-segment.js'

test('the one-pass decoder agrees with Node decoding both layers', () => {
  for (let round = 0; round < 200; round++) {
    const signature = randomBytes(65)
    const segment = encodeSignatureSegment(signature)
    assert.equal(segment.length, 118)
    const text = Buffer.from(segment, 'base64url').toString('latin1')
    assert.deepEqual(Buffer.from(text, 'base64'), signature)
    assert.deepEqual(decodeSignatureSegment(segment), signature)
  }
})

test('a given target receives the signature; a segment of the wrong length leaves it untouched', () => {
  const signature = randomBytes(65)
  const target = Buffer.alloc(65)
  assert.equal(decodeSignatureSegment(encodeSignatureSegment(signature), target), target)
  assert.deepEqual(target, signature)

  assert.equal(decodeSignatureSegment('A'.repeat(117), target), undefined)
  assert.deepEqual(target, signature)
})

test('characters outside both alphabets are refused, whatever their code', () => {
  const segment = encodeSignatureSegment(randomBytes(65))
  // U+0141 and U+0100 share their low byte with 'A' and NUL; neither may pass for them.
  for (const character of ['=', '+', '/', '.', ' ', '\u0141', '\u0100', '\u00c1', '\uffff']) {
    for (const at of [0, 57, 116, 117]) {
      const mutated = segment.slice(0, at) + character + segment.slice(at + 1)
      assert.equal(decodeSignatureSegment(mutated), undefined, `${JSON.stringify(character)} at ${at}`)
    }
  }
})
