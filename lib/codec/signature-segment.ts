import { BASE64URL_VALUES, alphabetValues, encodeBase64url } from './base64url.js'

// The signature segment is base64 twice: the 65 signature bytes as standard
// base64 with padding (88 characters, as the Python peers insist), and that
// text as base64url. 88 bytes make 118 base64url characters.
const SEGMENT_LENGTH = 118
const TEXT_LENGTH = 88
const SIGNATURE_LENGTH = 65

// The inner layer is standard base64, with '+' and '/'; the outer one is
// base64url, with '-' and '_'.
const STANDARD = alphabetValues('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')
const URL_SAFE = BASE64URL_VALUES

// The outer layer decodes into this scratch space before the inner one is
// read from it. Decoding never yields, so one buffer serves every call.
const text = new Uint8Array(TEXT_LENGTH)

/** The signature segment for 65 signature bytes. */
export function encodeSignatureSegment (signature: Uint8Array): string {
  return encodeBase64url(Buffer.from(signature).toString('base64'))
}

/**
 * The 65 signature bytes of a segment, or undefined unless both layers are
 * canonical: 118 base64url characters whose last carries no stray bits,
 * making exactly 88 characters of standard base64, 87 of the alphabet whose
 * last carries no stray bits, then one '='. Both layers are decoded here in
 * one pass with no call into Node's decoders: this runs for every request.
 * The bytes land in `signature` when one is given; a segment refused late may
 * leave it partly written.
 */
export function decodeSignatureSegment (
  segment: string, signature: Buffer = Buffer.allocUnsafe(SIGNATURE_LENGTH)
): Buffer | undefined {
  if (segment.length !== SEGMENT_LENGTH) return undefined

  // 29 groups of four characters make 87 bytes; two more make the 88th.
  let written = 0
  for (let read = 0; read < 116; read += 4) {
    const a = URL_SAFE[segment.charCodeAt(read)] ?? -1
    const b = URL_SAFE[segment.charCodeAt(read + 1)] ?? -1
    const c = URL_SAFE[segment.charCodeAt(read + 2)] ?? -1
    const d = URL_SAFE[segment.charCodeAt(read + 3)] ?? -1
    if ((a | b | c | d) < 0) return undefined
    text[written++] = (a << 2) | (b >> 4)
    text[written++] = ((b & 0xf) << 4) | (c >> 2)
    text[written++] = ((c & 0x3) << 6) | d
  }
  const last = URL_SAFE[segment.charCodeAt(116)] ?? -1
  const unused = URL_SAFE[segment.charCodeAt(117)] ?? -1
  if ((last | unused) < 0 || (unused & 0xf) !== 0) return undefined
  text[87] = (last << 2) | (unused >> 4)
  if (text[87] !== 0x3d) return undefined

  written = 0
  for (let read = 0; read < 84; read += 4) {
    const a = STANDARD[text[read] as number] ?? -1
    const b = STANDARD[text[read + 1] as number] ?? -1
    const c = STANDARD[text[read + 2] as number] ?? -1
    const d = STANDARD[text[read + 3] as number] ?? -1
    if ((a | b | c | d) < 0) return undefined
    signature[written++] = (a << 2) | (b >> 4)
    signature[written++] = ((b & 0xf) << 4) | (c >> 2)
    signature[written++] = ((c & 0x3) << 6) | d
  }

  // Three characters carry the last two bytes and two unused bits, which must be zero.
  const a = STANDARD[text[84] as number] ?? -1
  const b = STANDARD[text[85] as number] ?? -1
  const c = STANDARD[text[86] as number] ?? -1
  if ((a | b | c) < 0 || (c & 0x3) !== 0) return undefined
  signature[written++] = (a << 2) | (b >> 4)
  signature[written] = ((b & 0xf) << 4) | (c >> 2)
  return signature
}
