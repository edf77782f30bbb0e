import { sign, type BitjwsClaims } from '../codec/index.js'
import { BitjwsClientError } from './errors.js'
import { nextNonce } from './nonce.js'
import { takeTurn, waitForTurn } from './queue.js'
import {
  checkClientOptions, checkExpireAfter, checkTimeout,
  type ClientOptions, type ClientSettings
} from './options.js'
import { httpError, readSignedReply, type BitjwsResponse } from './reply.js'

export {
  BITJWS_CLIENT_ERROR_CODES, BitjwsClientError, isBitjwsClientError,
  type BitjwsClientErrorCode, type BitjwsClientErrorDetails
} from './errors.js'
export type { ClientOptions } from './options.js'
export type { BitjwsResponse } from './reply.js'

/** Options of a single call; each overrides the client's own for that call. */
export interface RequestOptions {
  /**
   * Milliseconds allowed for this call, waiting for earlier requests with the
   * same key included. Default: the client's `timeout`.
   */
  timeout?: number
  /** Seconds until this request expires. Default: the client's `expireAfter`. */
  expireAfter?: number
  /** Aborts the call; it then fails with `ERR_BITJWS_CLIENT_ABORTED`. */
  signal?: AbortSignal
  /** Extra HTTP headers. `content-type` is always `application/jose`. */
  headers?: Record<string, string>
}

export type RequestMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** A bitjws API seen from Node. Create one with {@link createClient}. */
export interface BitjwsClient {
  /** The address that signs this client's requests: the `kid` servers see. */
  readonly address: string
  /** The pinned server address, if any. */
  readonly serverAddress: string | undefined
  /**
   * Signs `data` for `path`, sends it, and verifies the signed reply. Nothing
   * is retried: a server refuses a signed request it has seen before.
   *
   * Signed requests with one key go out one at a time, in call order, across
   * all clients in the process: two in flight at once could reach the server
   * out of order, and it refuses a nonce older than one it has accepted.
   *
   * A GET carries no body, since fetch cannot send one, and so is neither
   * signed nor authenticated; only its reply is verified. `data` must then be
   * left out.
   */
  request<Data = unknown>(
    method: RequestMethod | Lowercase<RequestMethod>, path: string, data?: unknown,
    options?: RequestOptions
  ): Promise<BitjwsResponse<Data>>
  get<Data = unknown>(path: string, options?: RequestOptions): Promise<BitjwsResponse<Data>>
  post<Data = unknown>(
    path: string, data?: unknown, options?: RequestOptions
  ): Promise<BitjwsResponse<Data>>
  put<Data = unknown>(
    path: string, data?: unknown, options?: RequestOptions
  ): Promise<BitjwsResponse<Data>>
  patch<Data = unknown>(
    path: string, data?: unknown, options?: RequestOptions
  ): Promise<BitjwsResponse<Data>>
  delete<Data = unknown>(
    path: string, data?: unknown, options?: RequestOptions
  ): Promise<BitjwsResponse<Data>>
}

const METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']

/**
 * A client that signs each request body with `privateKey` and accepts only
 * replies signed for `/response` (and, with `serverAddress`, by that key).
 *
 * Each request's `iat` is the time in integer milliseconds, raised when needed
 * so that it grows strictly for every message one key signs in this process.
 *
 * @example
 * const client = createClient({ baseUrl: 'http://localhost:3000', privateKey: wif })
 * const { data } = await client.post('/echo', { hello: 'world' })
 */
export function createClient (options: ClientOptions): BitjwsClient {
  const settings = checkClientOptions(options)

  function request<Data = unknown> (
    method: string, path: string, data?: unknown, requestOptions: RequestOptions = {}
  ): Promise<BitjwsResponse<Data>> {
    return send<Data>(settings, method, path, data, requestOptions)
  }

  return Object.freeze({
    address: settings.key.address,
    serverAddress: settings.serverAddress,
    request,
    get: <Data>(path: string, requestOptions?: RequestOptions) =>
      request<Data>('GET', path, undefined, requestOptions),
    post: <Data>(path: string, data?: unknown, requestOptions?: RequestOptions) =>
      request<Data>('POST', path, data, requestOptions),
    put: <Data>(path: string, data?: unknown, requestOptions?: RequestOptions) =>
      request<Data>('PUT', path, data, requestOptions),
    patch: <Data>(path: string, data?: unknown, requestOptions?: RequestOptions) =>
      request<Data>('PATCH', path, data, requestOptions),
    delete: <Data>(path: string, data?: unknown, requestOptions?: RequestOptions) =>
      request<Data>('DELETE', path, data, requestOptions)
  })
}

async function send<Data> (
  settings: ClientSettings, method: string, path: string, data: unknown,
  options: RequestOptions
): Promise<BitjwsResponse<Data>> {
  const verb = typeof method === 'string' ? method.toUpperCase() : ''
  if (!METHODS.includes(verb)) {
    throw new TypeError(`The method must be one of ${METHODS.join(', ')}.`)
  }
  if (verb === 'GET' && data !== undefined) {
    throw new TypeError('A GET request carries no body, so it cannot send data; use POST.')
  }
  const { url, audience } = resolveTarget(settings, path)
  const timeout = checkTimeout(options.timeout ?? settings.timeout)
  const expireAfter = checkExpireAfter(options.expireAfter ?? settings.expireAfter)

  const headers = new Headers(options.headers)
  headers.set('accept', 'application/jose')
  const timeoutSignal = AbortSignal.timeout(timeout)
  const signal = options.signal === undefined
    ? timeoutSignal
    : AbortSignal.any([timeoutSignal, options.signal])
  const init: RequestInit = { method: verb, headers, redirect: 'manual', signal }
  const turn = verb === 'GET' ? undefined : takeTurn(settings.key.address)

  async function attempt<T> (step: () => Promise<T>): Promise<T> {
    try {
      return await step()
    } catch (error) {
      throw transportError(error, url, timeout, timeoutSignal, options.signal)
    }
  }

  let response: Response
  try {
    if (turn !== undefined) {
      await attempt(() => waitForTurn(turn, signal))
      // Signed only now, so that nonces grow in the order requests leave.
      headers.set('content-type', 'application/jose')
      init.body = signRequest(settings, audience, data, expireAfter)
    }
    response = await attempt(() => settings.fetch(url, init))
  } finally {
    // The server has checked the nonce once it answers; the body can follow.
    turn?.release()
  }
  const text = await attempt(() => response.text())

  if (response.status < 200 || response.status > 299) throw httpError(text, response, settings)
  return readSignedReply<Data>(text, response, settings)
}

/** The URL to call and the `aud` the server will expect for it. */
function resolveTarget (
  settings: ClientSettings, path: string
): { url: URL, audience: string } {
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new TypeError('The path must be a string that starts with "/".')
  }

  // Concatenated rather than resolved, so that no path can replace the origin.
  const url = new URL(settings.origin + settings.prefixPath + path)
  if (!url.pathname.startsWith(settings.prefixPath + '/')) {
    throw new TypeError('The path must stay below the path of `baseUrl`.')
  }

  // The URL's own pathname, percent-encoded and with dot segments resolved, is
  // what the server sees and so what it compares `aud` with.
  return { url, audience: settings.basePath + url.pathname.slice(settings.prefixPath.length) }
}

function signRequest (
  settings: ClientSettings, audience: string, data: unknown, expireAfter: number
): string {
  const now = Date.now()
  const claims: BitjwsClaims = {
    aud: audience,
    iat: nextNonce(settings.key.address, now),
    exp: now / 1000 + expireAfter
  }
  if (data !== undefined) claims.data = data
  return sign(claims, settings.key)
}

function transportError (
  error: unknown, url: URL, timeout: number, timeoutSignal: AbortSignal,
  callerSignal: AbortSignal | undefined
): BitjwsClientError {
  if (timeoutSignal.aborted) {
    return new BitjwsClientError(
      'ERR_BITJWS_CLIENT_TIMEOUT', `No complete reply from ${url.origin} within ${timeout} ms`,
      { cause: error }
    )
  }
  if (callerSignal?.aborted === true) {
    return new BitjwsClientError(
      'ERR_BITJWS_CLIENT_ABORTED', 'The request was aborted', { cause: error }
    )
  }
  const reason = error instanceof Error && error.cause instanceof Error ? error.cause : error
  const detail = reason instanceof Error ? reason.message : String(reason)
  return new BitjwsClientError(
    'ERR_BITJWS_CLIENT_NETWORK', `The connection to ${url.origin} failed: ${detail}`,
    { cause: error }
  )
}
