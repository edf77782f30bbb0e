import Fastify, { type FastifyInstance } from 'fastify'
import {
  SigningKey, encodeBase64url, fastifyBitjws, generatePrivateKey, type BitjwsClaims,
  type FastifyBitjwsOptions
} from '../../lib/index.js'

export interface TestServer {
  app: FastifyInstance
  url: string
  post (path: string, body: string, contentType?: string): Promise<TestResponse>
}

export interface TestResponse {
  status: number
  contentType: string | null
  text: string
  json (): { statusCode: number, code: string, message: string }
}

/**
 * A listening server with the plugin and a few authenticated routes. Security
 * properties are checked over real HTTP, not only through inject().
 */
export async function startServer (
  options: FastifyBitjwsOptions = {},
  setup?: (app: FastifyInstance) => void | Promise<void>
): Promise<TestServer> {
  const app = Fastify()
  await app.register(fastifyBitjws, options)
  const echo = async (request: { jwsPayload: BitjwsClaims | null }, reply: {
    bitjws: (data: unknown) => unknown
  }) => reply.bitjws(request.jwsPayload?.data)
  app.post('/echo', { preHandler: app.requireBitjws }, echo)
  app.post('/accounts/:id', { preHandler: app.requireBitjws }, echo)
  await setup?.(app)

  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  return {
    app,
    url,
    async post (path, body, contentType = 'application/jose') {
      const response = await fetch(url + path, {
        method: 'POST', headers: { 'content-type': contentType }, body
      })
      const text = await response.text()
      return {
        status: response.status,
        contentType: response.headers.get('content-type'),
        text,
        json: () => JSON.parse(text)
      }
    }
  }
}

export class TestUser {
  readonly key: SigningKey
  #nonce = Date.now()

  constructor (key: string = generatePrivateKey()) {
    this.key = new SigningKey(key)
  }

  get kid (): string {
    return this.key.address
  }

  /** A fresh, valid message for `aud`; `claims` override the defaults. */
  message (aud: string | null, claims: Record<string, unknown> = {}): string {
    this.#nonce += 1
    return this.key.protectedHeader + '.' + signedPart(this.key, {
      aud, exp: Date.now() / 1000 + 60, iat: this.#nonce, data: { hello: 'world' }, ...claims
    })
  }
}

function signedPart (key: SigningKey, claims: Record<string, unknown>): string {
  const payload = encodeBase64url(JSON.stringify(claims))
  const signature = key.signMessage(key.protectedHeader + '.' + payload)
  return payload + '.' + encodeBase64url(signature.toString('base64'))
}

/** Signs the raw texts given, byte for byte, as a Python peer would send them. */
export function signRaw (key: SigningKey, headerJson: string, payloadJson: string): string {
  const input = encodeBase64url(headerJson) + '.' + encodeBase64url(payloadJson)
  return input + '.' + encodeBase64url(key.signMessage(input).toString('base64'))
}
