import assert from 'node:assert/strict'
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  SigningKey, generatePrivateKey, sign, type BitjwsClaims
} from '../../lib/codec/index.js'
import { BitjwsClientError, type BitjwsClientErrorCode } from '../../lib/client/index.js'

export interface RecordedRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
}

export type Handler = (request: RecordedRequest, response: ServerResponse) => void

export interface FakeServer {
  url: string
  key: SigningKey
  requests: RecordedRequest[]
  /** Replaces how the server answers from now on. */
  handle (handler: Handler): void
  close (): Promise<void>
}

/**
 * A bare node:http server standing in for a bitjws API, so that the client is
 * tested against exactly the replies each test writes, valid or not.
 */
export async function startFakeServer (): Promise<FakeServer> {
  const key = new SigningKey(generatePrivateKey())
  const requests: RecordedRequest[] = []
  let handler: Handler = (_request, response) => { replySigned(response, key, 'ok') }

  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = []
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
    incoming.on('end', () => {
      const request = {
        method: incoming.method ?? '',
        url: incoming.url ?? '',
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8')
      }
      requests.push(request)
      handler(request, response)
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    key,
    requests,
    handle (next) { handler = next },
    async close () {
      server.closeAllConnections()
      await new Promise(resolve => server.close(resolve))
    }
  }
}

export interface ReplyOptions {
  status?: number
  /** Claims to add or replace; an undefined value leaves the claim out. */
  claims?: Record<string, unknown>
  contentType?: string
}

/** Answers with `data` signed by `key` for `/response`; `claims` override the defaults. */
export function replySigned (
  response: ServerResponse, key: SigningKey, data: unknown, options: ReplyOptions = {}
): void {
  const claims: BitjwsClaims = {
    aud: '/response', iat: Date.now(), exp: Date.now() / 1000 + 60, data, ...options.claims
  }
  const token = sign(claims, key)
  response.writeHead(options.status ?? 200, {
    'content-type': options.contentType ?? 'application/jose'
  })
  response.end(token)
}

export function replyJson (response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
  response.end(JSON.stringify(body))
}

/** The claims of a compact message, read without any check. */
export function claimsOf (token: string): BitjwsClaims {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'))
}

/**
 * Asserts that `promise` rejects with a BitjwsClientError carrying exactly this
 * code, status and message, and returns it for further checks.
 */
export async function rejectsClient (
  promise: Promise<unknown>, code: BitjwsClientErrorCode, status: number | undefined,
  message: string | RegExp
): Promise<BitjwsClientError> {
  let caught: unknown
  await assert.rejects(promise, (error: unknown) => {
    caught = error
    return true
  })
  assert.ok(caught instanceof BitjwsClientError, `expected a BitjwsClientError, got ${caught}`)
  assert.equal(caught.name, 'BitjwsClientError')
  assert.equal(caught.code, code)
  assert.equal(caught.status, status)
  if (typeof message === 'string') assert.equal(caught.message, message)
  else assert.match(caught.message, message)
  return caught
}
