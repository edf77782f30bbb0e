import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import {
  BitjwsError, SigningKey, encodeBase64url, type BitjwsErrorCode
} from '../../lib/index.js'

export interface PublishedVector {
  source: string
  jws: string
  kid: string
  aud: string | null
  privateKeyHex?: string
}

// Resolved from dist/test/helpers/, where the compiled helper runs.
export const publishedVectors: PublishedVector[] = JSON.parse(readFileSync(
  new URL('../../../test/fixtures/bitjws-published.json', import.meta.url), 'utf8'
))

export const CURVE_ORDER = BigInt(
  '0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141'
)

/** The README's example key: 32 bytes of 0x01. */
export const README_KEY = Buffer.alloc(32, 1)

/** Far enough ahead that no test run outlives it: what Python sends to disable expiry. */
export const NEVER = 2 ** 31

/**
 * Asserts that `run` throws our own error class with exactly this code and
 * message, so that a test cannot pass on an unrelated failure.
 */
export function throwsBitjws (
  run: () => unknown, code: BitjwsErrorCode, message: string | RegExp
): BitjwsError {
  let caught: unknown
  assert.throws(run, (error: unknown) => {
    caught = error
    return true
  })
  assert.ok(caught instanceof BitjwsError, `expected a BitjwsError, got ${String(caught)}`)
  assert.equal(caught.name, 'BitjwsError')
  assert.equal(caught.code, code)
  if (typeof message === 'string') assert.equal(caught.message, message)
  else assert.match(caught.message, message)
  return caught
}

export function jsonSegment (value: unknown): string {
  return encodeBase64url(JSON.stringify(value))
}

/** The signature segment for raw 65 bytes: base64url of the standard base64 text. */
export function signatureSegment (signature: Uint8Array): string {
  return encodeBase64url(Buffer.from(signature).toString('base64'))
}

export function signatureBytes (segment: string): Buffer {
  return Buffer.from(Buffer.from(segment, 'base64url').toString('latin1'), 'base64')
}

/**
 * Signs arbitrary segments as they stand, so that tests can build messages the
 * codec's own sign() would never produce and still get past the signature check.
 */
export function signSegments (key: SigningKey, header: string, payload: string): string {
  const signingInput = header + '.' + payload
  return signingInput + '.' + signatureSegment(key.signMessage(signingInput))
}

export function segmentsOf (token: string): [string, string, string] {
  const parts = token.split('.')
  assert.equal(parts.length, 3)
  return parts as [string, string, string]
}

/**
 * The other valid signature of the same message: s replaced by n - s, which
 * moves the nonce point's y to its negation and so flips the recid's parity.
 */
export function highSTwin (signature: Buffer): Buffer {
  const s = BigInt('0x' + signature.subarray(33, 65).toString('hex'))
  const twin = Buffer.from(signature)
  const flag = signature[0] as number
  const compressedOffset = flag >= 31 ? 4 : 0
  const recid = flag - 27 - compressedOffset
  twin[0] = 27 + compressedOffset + (recid ^ 1)
  Buffer.from((CURVE_ORDER - s).toString(16).padStart(64, '0'), 'hex').copy(twin, 33)
  return twin
}
