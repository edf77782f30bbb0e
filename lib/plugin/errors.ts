import createError from '@fastify/error'
import type { BitjwsErrorCode } from '../codec/errors.js'

// One error per cause. The messages are fixed text: they never echo what the
// client sent, and a tampered message gets the same answer however it was
// tampered with. The codec's error travels along as `cause` for the logs.

export const ContentTypeError = createError(
  'FST_BITJWS_CONTENT_TYPE',
  'The request body must be a bitjws message sent as application/jose', 401
)
export const MalformedError = createError(
  'FST_BITJWS_MALFORMED', 'The bitjws message is malformed', 401
)
export const AlgorithmError = createError(
  'FST_BITJWS_ALGORITHM_UNSUPPORTED', 'The bitjws message uses an unsupported algorithm', 401
)
export const KeyIdError = createError(
  'FST_BITJWS_KID_INVALID', 'The bitjws message has an invalid or unaccepted key id', 401
)
export const SignatureError = createError(
  'FST_BITJWS_SIGNATURE_INVALID', 'The bitjws signature is not valid', 401
)
export const ExpiredError = createError(
  'FST_BITJWS_EXPIRED', 'The bitjws message has expired or carries no valid exp', 401
)
export const LifetimeError = createError(
  'FST_BITJWS_LIFETIME_TOO_LONG', 'The bitjws message expires later than this server allows', 401
)
export const AudienceError = createError(
  'FST_BITJWS_AUDIENCE_MISMATCH', 'The bitjws message was signed for another audience', 401
)
export const NonceMissingError = createError(
  'FST_BITJWS_NONCE_MISSING', 'The bitjws payload must carry a numeric iat', 401
)
export const NonceStaleError = createError(
  'FST_BITJWS_NONCE_STALE', 'The bitjws nonce is not newer than the last one accepted', 401
)
export const UnknownKeyError = createError(
  'FST_BITJWS_UNKNOWN_KEY', 'The bitjws key id belongs to no known user', 401
)
export const BodyTooLargeError = createError(
  'FST_BITJWS_BODY_TOO_LARGE', 'The bitjws message is larger than this server accepts', 413
)
export const StoreUnavailableError = createError(
  'FST_BITJWS_STORE_UNAVAILABLE', 'The authentication store is unavailable', 503
)

/** The plugin's error for each way the codec refuses a message. */
export function fromCodecError (code: BitjwsErrorCode, cause: unknown): Error {
  const options = { cause }
  switch (code) {
    case 'ERR_BITJWS_ALGORITHM_UNSUPPORTED': return new AlgorithmError(options)
    case 'ERR_BITJWS_KID_INVALID':
    case 'ERR_BITJWS_NETWORK_NOT_ALLOWED': return new KeyIdError(options)
    case 'ERR_BITJWS_SIGNATURE_INVALID': return new SignatureError(options)
    case 'ERR_BITJWS_EXPIRED':
    case 'ERR_BITJWS_CLAIM_INVALID': return new ExpiredError(options)
    case 'ERR_BITJWS_AUDIENCE_MISMATCH': return new AudienceError(options)
    default: return new MalformedError(options)
  }
}
