/**
 * Every way a call through the client can fail once its options are valid.
 * Callers switch on `error.code`; the message is for people and may change.
 */
export const BITJWS_CLIENT_ERROR_CODES = [
  /** The server answered with a status outside 200–299 (redirects included). */
  'ERR_BITJWS_CLIENT_HTTP',
  /** A 2xx reply that is not a valid bitjws message for `/response`. */
  'ERR_BITJWS_CLIENT_RESPONSE_INVALID',
  /** A valid reply signed by a key other than the pinned `serverAddress`. */
  'ERR_BITJWS_CLIENT_SERVER_MISMATCH',
  /** The request or its reply could not travel: refused connection, reset, DNS. */
  'ERR_BITJWS_CLIENT_NETWORK',
  /** No complete reply within `timeout` milliseconds. */
  'ERR_BITJWS_CLIENT_TIMEOUT',
  /** The caller's own `signal` aborted the call. */
  'ERR_BITJWS_CLIENT_ABORTED'
] as const

export type BitjwsClientErrorCode = typeof BITJWS_CLIENT_ERROR_CODES[number]

export interface BitjwsClientErrorDetails {
  /** The HTTP status, when a reply arrived. */
  status?: number
  /** The `code` of the server's JSON error body, e.g. `FST_BITJWS_NONCE_REUSED`. */
  serverCode?: string
  /** The reply body: parsed JSON when it was JSON, otherwise its text. */
  body?: unknown
  /**
   * The `data` claim of an error reply that was itself a valid signed message
   * (a route may answer `reply.code(404).bitjws(...)`), checked as a 2xx reply
   * would be, pinning included.
   */
  data?: unknown
  cause?: unknown
}

/**
 * A failed call. Fastify's error replies are plain, unsigned JSON, so
 * `serverCode` and `body` say what the server, or anyone between it and us,
 * claimed; only `data` is verified.
 */
export class BitjwsClientError extends Error {
  readonly code: BitjwsClientErrorCode
  readonly status: number | undefined
  readonly serverCode: string | undefined
  readonly body: unknown
  readonly data: unknown

  constructor (
    code: BitjwsClientErrorCode, message: string, details: BitjwsClientErrorDetails = {}
  ) {
    super(message, 'cause' in details ? { cause: details.cause } : undefined)
    this.name = 'BitjwsClientError'
    this.code = code
    this.status = details.status
    this.serverCode = details.serverCode
    this.body = details.body
    this.data = details.data
  }
}

export function isBitjwsClientError (value: unknown): value is BitjwsClientError {
  return value instanceof BitjwsClientError
}
