import { decodeCheckedBase64url, encodeBase64url } from './base64url.js'

// The signature segment is base64 twice: the 65 signature bytes as standard
// base64 with padding (88 characters, as the Python peers insist), and that
// text as base64url. 88 bytes make 118 base64url characters.
const SEGMENT_LENGTH = 118
const TEXT_LENGTH = 88
const SIGNATURE_LENGTH = 65

// Standard base64 values by character code; -1 for anything else.
const VALUES = new Int8Array(256).fill(-1)
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
for (let index = 0; index < ALPHABET.length; index++) VALUES[ALPHABET.charCodeAt(index)] = index

/** The signature segment for 65 signature bytes. */
export function encodeSignatureSegment (signature: Uint8Array): string {
  return encodeBase64url(Buffer.from(signature).toString('base64'))
}

/**
 * The 65 signature bytes of a segment that holds only base64url characters, or
 * undefined unless both layers are canonical: exactly 88 characters of
 * standard base64, 87 of the alphabet whose last carries no stray bits, then
 * one '='. Decoded in one pass here: this runs for every request.
 */
export function decodeSignatureSegment (segment: string): Buffer | undefined {
  if (segment.length !== SEGMENT_LENGTH) return undefined
  const text = decodeCheckedBase64url(segment)
  if (text === undefined || text.length !== TEXT_LENGTH || text[87] !== 0x3d) return undefined

  const signature = Buffer.allocUnsafe(SIGNATURE_LENGTH)
  let written = 0
  for (let read = 0; read < 84; read += 4) {
    const a = VALUES[text[read] as number] as number
    const b = VALUES[text[read + 1] as number] as number
    const c = VALUES[text[read + 2] as number] as number
    const d = VALUES[text[read + 3] as number] as number
    if ((a | b | c | d) < 0) return undefined
    signature[written++] = (a << 2) | (b >> 4)
    signature[written++] = ((b & 0xf) << 4) | (c >> 2)
    signature[written++] = ((c & 0x3) << 6) | d
  }

  // Three characters carry the last two bytes and two unused bits, which must be zero.
  const a = VALUES[text[84] as number] as number
  const b = VALUES[text[85] as number] as number
  const c = VALUES[text[86] as number] as number
  if ((a | b | c) < 0 || (c & 0x3) !== 0) return undefined
  signature[written++] = (a << 2) | (b >> 4)
  signature[written] = ((b & 0xf) << 4) | (c >> 2)
  return signature
}
