import type { FastifyReply, FastifyRequest } from 'fastify'
import {
  ContentTypeError, NonceMissingError, NonceStaleError, StoreUnavailableError, UnknownKeyError
} from './errors.js'
import type { ResolvedOptions } from './options.js'
import { verifyToken } from './verify.js'

export type RequireBitjws = (request: FastifyRequest, reply: FastifyReply) => Promise<void>

const JOSE = /^application\/jose\s*(;|$)/i

/**
 * Builds the `requireBitjws` hook. Each step either passes the request on or
 * ends it with one coded error; nothing reaches the store before the
 * signature, expiry and audience hold, and no nonce is stored for a key that
 * belongs to nobody, so strangers cannot grow the nonce store.
 */
export function createAuthenticate (options: ResolvedOptions): RequireBitjws {
  const { decorators, getUserByKey, advanceNonce } = options

  return async function requireBitjws (request: FastifyRequest, _reply: FastifyReply) {
    const token = request.body
    if (typeof token !== 'string' || !JOSE.test(request.headers['content-type'] ?? '')) {
      throw new ContentTypeError()
    }

    const audience = options.audience === undefined
      ? options.basePath + pathOf(request.url)
      : await options.audience(request)
    // `bitjws sign > file` and `curl --data-binary @file` add a newline; white
    // space lies outside every signed segment, so dropping it changes nothing signed.
    const { header, payload } = verifyToken(token.trim(), audience, options)

    const nonce = payload.iat
    if (typeof nonce !== 'number' || !Number.isFinite(nonce)) throw new NonceMissingError()

    const user = await askStore(() => getUserByKey(header.kid, request))
    if (user === null || user === undefined) throw new UnknownKeyError()

    // Only a literal true admits the request: a hook that resolves something
    // else by mistake must not open the door.
    if (await askStore(() => advanceNonce(header.kid, nonce, request)) !== true) {
      throw new NonceStaleError()
    }

    const target = request as unknown as Record<string, unknown>
    target[decorators.header] = header
    target[decorators.payload] = payload
    target[decorators.user] = user
  }
}

async function askStore<T> (call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    throw new StoreUnavailableError({ cause: error })
  }
}

function pathOf (url: string): string {
  const query = url.indexOf('?')
  return query === -1 ? url : url.slice(0, query)
}
