import type { FastifyRequest } from 'fastify'
import { generatePrivateKey, type Network, type PrivateKeyInput } from '../codec/keys.js'
import { SigningKey } from '../codec/signing-key.js'
import { MemoryStore } from '../stores/memory.js'
import type { BitjwsStore } from '../stores/store.js'

/**
 * The user a key resolves to. Empty on purpose: applications describe their
 * own user by extending it,
 * `declare module 'fastify-bitjws' { interface BitjwsUser { username: string } }`.
 */
export interface BitjwsUser {}

export interface FastifyBitjwsOptions {
  /** The server's signing key, WIF or 32 bytes. Default: a random key for this process only. */
  privateKey?: PrivateKeyInput
  /** Users and nonces. Default: a {@link MemoryStore}, for one process. */
  store?: BitjwsStore<BitjwsUser>
  /** The user behind a key, or null for an unknown key. Default: the store's. */
  getUserByKey?: (kid: string, request: FastifyRequest) => Promise<BitjwsUser | null | undefined>
  /**
   * Records `nonce` for `kid` only if it is strictly greater than the last one
   * recorded, atomically, and resolves whether it did. Default: the store's.
   */
  advanceNonce?: (kid: string, nonce: number, request: FastifyRequest) => Promise<boolean>
  /** Prefix of the expected `aud`, for an app mounted under a path. Default: ''. */
  basePath?: string
  /** The expected `aud` of a request. Default: basePath + the request's path without its query. */
  audience?: (request: FastifyRequest) => string | null | Promise<string | null>
  /** Seconds of clock skew forgiven when checking `exp`. Default: 0. */
  clockTolerance?: number
  /**
   * The most seconds a request's `exp` may lie ahead. Default: the store's
   * `nonceTtl` when it has one, otherwise unlimited.
   */
  maxLifetime?: number
  /** Networks whose addresses may sign requests. Default: ['mainnet']. */
  networks?: readonly Network[]
  /** The `aud` of signed replies. Default: '/response'. */
  responseAudience?: string
  /** Seconds until a signed reply expires. Default: 3600. */
  responseExpiry?: number
  /** The largest application/jose body accepted, in bytes. Default: 65536. */
  bodyLimit?: number
  /** Names of the request properties set on success. */
  decorators?: { header?: string, payload?: string, user?: string }
}

export interface ResolvedOptions {
  signingKey: SigningKey
  ephemeralKey: boolean
  store: BitjwsStore<BitjwsUser> | undefined
  memoryOnly: boolean
  getUserByKey: (kid: string, request: FastifyRequest) => Promise<BitjwsUser | null | undefined>
  advanceNonce: (kid: string, nonce: number, request: FastifyRequest) => Promise<boolean>
  basePath: string
  audience: ((request: FastifyRequest) => string | null | Promise<string | null>) | undefined
  clockTolerance: number
  maxLifetime: number | undefined
  networks: readonly Network[]
  responseAudience: string
  responseExpiry: number
  bodyLimit: number
  decorators: { header: string, payload: string, user: string }
}

const NETWORKS: readonly Network[] = ['mainnet', 'testnet']
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

/** Checks every option and fills in the defaults; a wrong option throws a TypeError naming it. */
export function resolveOptions (options: FastifyBitjwsOptions = {}): ResolvedOptions {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('The fastify-bitjws options must be an object')
  }

  const signingKey = resolveSigningKey(options.privateKey)
  const hooksGiven = options.getUserByKey !== undefined && options.advanceNonce !== undefined
  checkFunction(options.getUserByKey, 'getUserByKey')
  checkFunction(options.advanceNonce, 'advanceNonce')
  checkFunction(options.audience, 'audience')
  checkStore(options.store)

  const store = options.store ?? (hooksGiven ? undefined : new MemoryStore())
  const nonceTtl = (store as { nonceTtl?: unknown } | undefined)?.nonceTtl
  const maxLifetime = options.maxLifetime ?? (typeof nonceTtl === 'number' ? nonceTtl : undefined)
  if (maxLifetime !== undefined) checkSeconds(maxLifetime, 'maxLifetime', false)
  if (typeof nonceTtl === 'number' && maxLifetime !== undefined && maxLifetime > nonceTtl) {
    throw new TypeError(
      "The `maxLifetime` option must not exceed the store's nonceTtl: a message that outlives " +
        'its nonce record could be replayed'
    )
  }

  return {
    signingKey: signingKey.key,
    ephemeralKey: signingKey.ephemeral,
    store,
    memoryOnly: store instanceof MemoryStore &&
      (options.advanceNonce === undefined || options.getUserByKey === undefined),
    getUserByKey: options.getUserByKey ??
      ((kid) => (store as BitjwsStore<BitjwsUser>).getUserByKey(kid)),
    advanceNonce: options.advanceNonce ??
      ((kid, nonce) => (store as BitjwsStore<BitjwsUser>).advanceNonce(kid, nonce)),
    basePath: checkBasePath(options.basePath ?? ''),
    audience: options.audience,
    clockTolerance: checkSeconds(options.clockTolerance ?? 0, 'clockTolerance', true),
    maxLifetime,
    networks: checkNetworks(options.networks ?? ['mainnet']),
    responseAudience: checkString(options.responseAudience ?? '/response', 'responseAudience'),
    responseExpiry: checkSeconds(options.responseExpiry ?? 3600, 'responseExpiry', false),
    bodyLimit: checkBodyLimit(options.bodyLimit ?? 65536),
    decorators: checkDecorators(options.decorators ?? {})
  }
}

function resolveSigningKey (privateKey: PrivateKeyInput | undefined) {
  if (privateKey === undefined) {
    return { key: new SigningKey(generatePrivateKey()), ephemeral: true }
  }
  try {
    return { key: new SigningKey(privateKey), ephemeral: false }
  } catch (error) {
    throw new TypeError(
      'The `privateKey` option must be a WIF string or 32 bytes within the curve order',
      { cause: error }
    )
  }
}

function checkFunction (value: unknown, name: string): void {
  if (value !== undefined && typeof value !== 'function') {
    throw new TypeError(`The \`${name}\` option must be an async function`)
  }
}

function checkStore (store: unknown): void {
  if (store === undefined) return
  const candidate = store as Partial<BitjwsStore> | null
  if (typeof candidate?.getUserByKey !== 'function' ||
    typeof candidate.advanceNonce !== 'function') {
    throw new TypeError(
      'The `store` option must have getUserByKey and advanceNonce methods (see BitjwsStore)'
    )
  }
}

function checkBasePath (basePath: unknown): string {
  if (typeof basePath !== 'string' ||
    (basePath !== '' && (!basePath.startsWith('/') || basePath.endsWith('/')))) {
    throw new TypeError(
      "The `basePath` option must be '' or a path that starts with '/' and does not end with '/'"
    )
  }
  return basePath
}

function checkSeconds (value: unknown, name: string, zeroAllowed: boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 ||
    (!zeroAllowed && value === 0)) {
    throw new TypeError(
      `The \`${name}\` option must be a finite, ${zeroAllowed ? 'non-negative' : 'positive'} ` +
        'number of seconds'
    )
  }
  return value
}

function checkString (value: unknown, name: string): string {
  if (typeof value !== 'string') throw new TypeError(`The \`${name}\` option must be a string`)
  return value
}

function checkBodyLimit (value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError('The `bodyLimit` option must be a positive integer number of bytes')
  }
  return value
}

function checkNetworks (networks: unknown): readonly Network[] {
  if (!Array.isArray(networks) || networks.length === 0 ||
    !networks.every((network) => NETWORKS.includes(network))) {
    throw new TypeError(
      "The `networks` option must be a non-empty array of 'mainnet' and 'testnet'"
    )
  }
  return Object.freeze([...networks])
}

function checkDecorators (
  decorators: FastifyBitjwsOptions['decorators']
): ResolvedOptions['decorators'] {
  const resolved = {
    header: decorators?.header ?? 'jwsHeader',
    payload: decorators?.payload ?? 'jwsPayload',
    user: decorators?.user ?? 'jwsUser'
  }
  for (const [role, name] of Object.entries(resolved)) {
    if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
      throw new TypeError(`The \`decorators.${role}\` option must be a JavaScript identifier`)
    }
  }
  if (new Set(Object.values(resolved)).size !== 3) {
    throw new TypeError('The `decorators` option must name three different properties')
  }
  return resolved
}
