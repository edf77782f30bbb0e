/**
 * Every way a bitjws message, key or address can be refused. Callers switch on
 * `error.code`; the message is for people and may change between releases.
 */
export const BITJWS_ERROR_CODES = [
  'ERR_BITJWS_MALFORMED',
  'ERR_BITJWS_HEADER_INVALID',
  'ERR_BITJWS_ALGORITHM_UNSUPPORTED',
  'ERR_BITJWS_KID_INVALID',
  'ERR_BITJWS_NETWORK_NOT_ALLOWED',
  'ERR_BITJWS_SIGNATURE_INVALID',
  'ERR_BITJWS_PAYLOAD_INVALID',
  'ERR_BITJWS_CLAIM_INVALID',
  'ERR_BITJWS_EXPIRED',
  'ERR_BITJWS_AUDIENCE_MISMATCH',
  'ERR_BITJWS_KEY_INVALID',
  'ERR_BITJWS_ADDRESS_INVALID',
  'ERR_BITJWS_NATIVE_UNAVAILABLE'
] as const

export type BitjwsErrorCode = typeof BITJWS_ERROR_CODES[number]

export class BitjwsError extends Error {
  readonly code: BitjwsErrorCode

  constructor (code: BitjwsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'BitjwsError'
    this.code = code
  }
}

export function isBitjwsError (value: unknown): value is BitjwsError {
  return value instanceof BitjwsError
}
