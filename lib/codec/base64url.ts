const ALPHABET = /^[A-Za-z0-9_-]*$/

/** Values of the base64 alphabets by character code, -1 for anything else. */
export function alphabetValues (alphabet: string): Int8Array {
  const values = new Int8Array(128).fill(-1)
  for (let index = 0; index < alphabet.length; index++) values[alphabet.charCodeAt(index)] = index
  return values
}

export const BASE64URL_VALUES = alphabetValues(
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
)

/**
 * Decodes unpadded base64url, or returns undefined. Node's own decoder skips
 * characters outside the alphabet and accepts padding and stray trailing bits,
 * so many strings would decode to the same bytes; only the canonical one passes.
 */
export function decodeBase64url (text: string): Buffer | undefined {
  return isBase64url(text) ? decodeCheckedBase64url(text) : undefined
}

/** Whether `text` holds only base64url characters (no padding). */
export function isBase64url (text: string): boolean {
  return ALPHABET.test(text)
}

/**
 * {@link decodeBase64url} for text already known to hold only base64url
 * characters, as every segment of a compact message that passed its shape check.
 */
export function decodeCheckedBase64url (text: string): Buffer | undefined {
  const remainder = text.length % 4
  if (remainder === 1) return undefined

  if (remainder !== 0) {
    // The last character carries 4 (remainder 2) or 2 (remainder 3) unused bits.
    const unusedMask = remainder === 2 ? 0b1111 : 0b11
    if (((BASE64URL_VALUES[text.charCodeAt(text.length - 1)] ?? -1) & unusedMask) !== 0) {
      return undefined
    }
  }

  return Buffer.from(text, 'base64url')
}

export function encodeBase64url (data: Uint8Array | string): string {
  const bytes = typeof data === 'string'
    ? Buffer.from(data, 'utf8')
    : Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  return bytes.toString('base64url')
}
