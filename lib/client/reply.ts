import {
  verify, type BitjwsClaims, type BitjwsHeader, type VerifyResult
} from '../codec/index.js'
import { BitjwsClientError } from './errors.js'
import type { ClientSettings } from './options.js'

/** What a successful call resolves to. */
export interface BitjwsResponse<Data = unknown> {
  /** The HTTP status, within 200–299. */
  status: number
  /** The reply's `data` claim: the response body proper. */
  data: Data
  /** The verified protected header; `kid` is the address that signed the reply. */
  header: BitjwsHeader
  /** Every verified claim of the reply (`aud` is `/response`). */
  payload: BitjwsClaims
}

// Long enough for any message the plugin writes, short enough for a log line.
const MAX_QUOTED_LENGTH = 300

/**
 * Verifies a 2xx reply. A reply proves who signed it and that it is fresh, not
 * which request it answers: the protocol binds replies to no request, so a
 * party on the path could swap in another recent reply from the same server.
 */
export function readSignedReply<Data> (
  text: string, response: Response, settings: ClientSettings
): BitjwsResponse<Data> {
  let header: BitjwsHeader
  let payload: BitjwsClaims
  try {
    ({ header, payload } = verifyReply(text, settings))
  } catch (error) {
    throw new BitjwsClientError(
      'ERR_BITJWS_CLIENT_RESPONSE_INVALID',
      describeInvalidReply(response, error),
      { status: response.status, body: text, cause: error }
    )
  }

  if (!isPinned(header, settings)) {
    throw new BitjwsClientError(
      'ERR_BITJWS_CLIENT_SERVER_MISMATCH',
      `The reply was signed by ${header.kid}, not by the pinned ${settings.serverAddress}`,
      { status: response.status }
    )
  }

  return { status: response.status, data: payload.data as Data, header, payload }
}

function verifyReply (text: string, settings: ClientSettings): VerifyResult {
  return verify(text, {
    audience: '/response',
    networks: settings.networks,
    clockTolerance: settings.clockTolerance
  })
}

function isPinned (header: BitjwsHeader, settings: ClientSettings): boolean {
  return settings.serverAddress === undefined || header.kid === settings.serverAddress
}

/** The error for a reply outside 200–299, carrying what the server said about it. */
export function httpError (
  text: string, response: Response, settings: ClientSettings
): BitjwsClientError {
  const body = parseJson(text)
  const serverCode = stringField(body, 'code')
  const serverMessage = stringField(body, 'message')
  let message = `The server answered ${response.status}`
  if (serverCode !== undefined) message += ` ${serverCode}`
  if (serverMessage !== undefined) message += `: ${serverMessage}`

  if (response.status >= 300 && response.status < 400) {
    // A signed request is never re-sent elsewhere: its aud names this path, and
    // another host handed a fresh token could replay it here before we do.
    const location = response.headers.get('location')
    const target = location === null ? '' : ` to ${quote(location)}`
    message += ` (a redirect${target}, not followed)`
  }

  return new BitjwsClientError('ERR_BITJWS_CLIENT_HTTP', message, {
    status: response.status,
    ...(serverCode === undefined ? {} : { serverCode }),
    body: body ?? text,
    ...signedData(text, settings)
  })
}

/** `{ data }` of a valid signed error reply from the expected server, else nothing. */
function signedData (text: string, settings: ClientSettings): { data?: unknown } {
  try {
    const { header, payload } = verifyReply(text, settings)
    return isPinned(header, settings) ? { data: payload.data } : {}
  } catch {
    return {}
  }
}

function describeInvalidReply (response: Response, error: unknown): string {
  const contentType = response.headers.get('content-type')
  if (contentType === null || !/^application\/jose\b/i.test(contentType)) {
    const described = contentType === null ? 'no content type' : quote(contentType)
    return `The server replied with ${described}, not a signed application/jose message`
  }
  return `The reply is not a valid bitjws message: ${(error as Error).message}`
}

function parseJson (text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function stringField (body: unknown, name: string): string | undefined {
  if (body === null || typeof body !== 'object') return undefined
  const value = (body as Record<string, unknown>)[name]
  return typeof value === 'string' ? quote(value) : undefined
}

function quote (text: string): string {
  return text.length > MAX_QUOTED_LENGTH ? text.slice(0, MAX_QUOTED_LENGTH) + '…' : text
}
