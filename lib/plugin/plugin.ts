import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import sensible from '@fastify/sensible'
import {
  sign, type BitjwsClaims, type BitjwsHeader, type VerifyResult
} from '../codec/compact.js'
import type { Network } from '../codec/keys.js'
import type { BitjwsStore } from '../stores/store.js'
import { createAuthenticate, type RequireBitjws } from './authenticate.js'
import { resolveOptions, type BitjwsUser, type FastifyBitjwsOptions } from './options.js'
import { addJoseParser } from './parser.js'
import { verifyToken } from './verify.js'

export interface ReplyBitjwsOptions {
  /** Seconds until this reply expires. Default: the plugin's `responseExpiry`. */
  expiry?: number
}

/**
 * What `fastify.bitjws` offers: the server's identity and its key, bound to the
 * plugin's options.
 */
export interface BitjwsDecorator {
  /** The address that signs this server's replies. */
  readonly address: string
  readonly network: Network
  /** The store in use, when the plugin has one (none when both hooks are given). */
  readonly store: BitjwsStore<BitjwsUser> | undefined
  /** Signs exactly `claims` with the server's key. */
  sign (claims: BitjwsClaims): string
  /**
   * Verifies a compact message with the plugin's networks, clock tolerance and
   * maximum lifetime; throws the same coded errors that requests get.
   */
  verify (token: string, audience: string | null): VerifyResult<BitjwsClaims>
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Authenticates a request; add it to a route as `preHandler` or `preValidation`. */
    requireBitjws: RequireBitjws
    bitjws: BitjwsDecorator
  }
  interface FastifyRequest {
    /** The verified protected header; set by `requireBitjws`. */
    jwsHeader: BitjwsHeader | null
    /** The verified payload; set by `requireBitjws`. */
    jwsPayload: BitjwsClaims | null
    /** The user behind the request's key; set by `requireBitjws`. */
    jwsUser: BitjwsUser | null
  }
  interface FastifyReply {
    /**
     * Sends `data` as a bitjws message signed by the server, as
     * application/jose, with the reply's current status code.
     */
    bitjws (data: unknown, options?: ReplyBitjwsOptions): FastifyReply
  }
}

const plugin: FastifyPluginAsync<FastifyBitjwsOptions> = async (fastify, rawOptions) => {
  const options = resolveOptions(rawOptions)
  const { signingKey, decorators } = options

  // Reuse the application's @fastify/sensible when it registered one first;
  // registering it twice would fail at startup.
  if (!fastify.hasDecorator('httpErrors')) await fastify.register(sensible)

  addJoseParser(fastify, options.bodyLimit)
  fastify.decorateRequest(decorators.header, null)
  fastify.decorateRequest(decorators.payload, null)
  fastify.decorateRequest(decorators.user, null)

  fastify.decorate('requireBitjws', createAuthenticate(options))
  fastify.decorate('bitjws', {
    address: signingKey.address,
    network: signingKey.network,
    store: options.store,
    sign: (claims: BitjwsClaims) => sign(claims, signingKey),
    verify: (token: string, audience: string | null) => verifyToken(token, audience, options)
  } satisfies BitjwsDecorator)

  fastify.decorateReply('bitjws', function replyBitjws (
    this: FastifyReply, data: unknown, replyOptions: ReplyBitjwsOptions = {}
  ) {
    const now = Date.now() / 1000
    const token = sign({
      aud: options.responseAudience,
      iat: now,
      exp: now + (replyOptions.expiry ?? options.responseExpiry),
      data: data === undefined ? null : data
    }, signingKey)
    // A signed reply is meant for one requester at one time; caches must not replay it.
    this.cacheControl('no-store')
    return this.type('application/jose').send(token)
  })

  fastify.log.info({ address: signingKey.address }, 'fastify-bitjws: replies are signed by %s',
    signingKey.address)
  if (options.ephemeralKey) {
    fastify.log.warn('fastify-bitjws: no privateKey given; a random key signs replies until ' +
      'this process exits, so clients cannot pin the server address')
  }
  if (options.memoryOnly) {
    fastify.log.warn('fastify-bitjws: users and nonces are kept in this process\'s memory; ' +
      'several processes need a shared store (Redis or PostgreSQL) to refuse replays')
  }
  if (options.store !== undefined && rawOptions.store === undefined) {
    fastify.addHook('onClose', async () => { await options.store?.close?.() })
  }
}

/** The Fastify plugin: `fastify.register(fastifyBitjws, options)`. */
export const fastifyBitjws = fp(plugin, { fastify: '5.x', name: 'fastify-bitjws' })

export type { FastifyBitjwsOptions, BitjwsUser }
