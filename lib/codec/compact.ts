import { decodeCheckedBase64url, encodeBase64url, isBase64url } from './base64url.js'
import { BitjwsError } from './errors.js'
import {
  decodeAddress, hash160, type DecodedAddress, type Network, type PrivateKeyInput
} from './keys.js'
import { invalidSignature, recoverPublicKeyTransiently, writeMessageDigest } from './message.js'
import { decodeSignatureSegment, encodeSignatureSegment } from './signature-segment.js'
import { ALGORITHM, toSigningKey, type SigningKey } from './signing-key.js'

/** The protected header of a bitjws message. */
export interface BitjwsHeader {
  alg: typeof ALGORITHM
  /** The signer's P2PKH address. */
  kid: string
  typ?: string
  [parameter: string]: unknown
}

/** The claims a bitjws payload carries; any others pass through untouched. */
export interface BitjwsClaims {
  /** Where the message may be delivered: a path, a URL, or null. */
  aud?: string | null
  /** Expiry, Unix time in seconds (may be fractional). */
  exp?: number
  /** Issued-at; servers use it as the per-key nonce. */
  iat?: number
  /** The request or response body proper. */
  data?: unknown
  [claim: string]: unknown
}

export interface VerifyOptions {
  /**
   * The `aud` the message must carry, compared exactly (`null` included). Pass
   * `false` only to inspect a message whose destination does not matter.
   */
  audience: string | null | false
  /** Refuse messages past their `exp`. Default: true. */
  checkExpiration?: boolean
  /** Seconds of clock skew forgiven when checking `exp`. Default: 0. */
  clockTolerance?: number
  /** Networks whose addresses may sign. Default: `['mainnet']`. */
  networks?: readonly Network[]
  /** The current time in Unix seconds. Default: the system clock. */
  currentTime?: number
  /** Return the payload as parsed JSON (default) or, when false, as its raw bytes. */
  decodePayload?: boolean
}

export interface VerifyResult<Payload = BitjwsClaims> {
  header: BitjwsHeader
  payload: Payload
}

const COMPACT_FORM = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/
export const DEFAULT_NETWORKS: readonly Network[] = ['mainnet']

/**
 * Signs exactly `claims` as a compact bitjws message. The key is WIF, 32 raw
 * bytes, or a {@link SigningKey}.
 */
export function sign (claims: BitjwsClaims, privateKey: PrivateKeyInput | SigningKey): string {
  const key = toSigningKey(privateKey)
  const signingInput = key.protectedHeader + '.' + encodePayload(claims)
  return signingInput + '.' + encodeSignatureSegment(key.signMessage(signingInput))
}

export interface SignSerializeOptions extends BitjwsClaims {
  /** The `aud` claim. Default: null. */
  audience?: string | null
  /** Seconds until `exp`, or false for no expiry (`exp` = 2^31, as Python sends). Default: 3600. */
  expireAfter?: number | false
}

/** Python's `sign_serialize`: `aud` and `exp` filled in, other claims passed through. */
export function signSerialize (
  privateKey: PrivateKeyInput | SigningKey,
  { audience = null, expireAfter = 3600, ...claims }: SignSerializeOptions = {}
): string {
  const exp = expireAfter === false ? 2 ** 31 : Date.now() / 1000 + expireAfter
  return sign({ aud: audience, exp, ...claims }, privateKey)
}

export function verify (
  token: string, options: VerifyOptions & { decodePayload: false }
): VerifyResult<Buffer>
export function verify (token: string, options: VerifyOptions): VerifyResult
export function verify (
  token: string, options: VerifyOptions
): VerifyResult<BitjwsClaims | Buffer> {
  assertVerifyOptions(options)

  if (typeof token !== 'string' || !COMPACT_FORM.test(token)) {
    throw malformed('The message must be three non-empty base64url segments')
  }

  const first = token.indexOf('.')
  const second = token.indexOf('.', first + 1)
  const networks = options.networks ?? DEFAULT_NETWORKS
  const { header, keyHash } = readHeader(token.slice(0, first), networks)
  checkSignature(token.slice(0, second), token.slice(second + 1), keyHash)
  const payloadBytes = decodeSegment(token.slice(first + 1, second), 'payload')
  return { header, payload: checkPayload(payloadBytes, options) }
}

/**
 * Checks a protected header: a JSON object with the bitjws `alg` and a `kid` we
 * accept. Returns it with the key hash that the signature must recover to.
 * `segment` must hold only base64url characters.
 */
export function readHeader (
  segment: string, networks: readonly Network[]
): { header: BitjwsHeader, keyHash: Buffer } {
  const known = headerCache.get(segment)
  if (known !== undefined) {
    checkNetwork(known.network, networks)
    // A copy, so that a caller who changes its header cannot change the next caller's.
    return { header: { ...known.header }, keyHash: known.keyHash }
  }

  const header = parseJsonObject(decodeSegment(segment, 'header'))
  if (header === undefined) {
    throw new BitjwsError('ERR_BITJWS_HEADER_INVALID', 'The header must be a JSON object')
  }
  if (header.alg !== ALGORITHM) {
    throw new BitjwsError(
      'ERR_BITJWS_ALGORITHM_UNSUPPORTED', `The header's alg must be ${ALGORITHM}`
    )
  }

  let address: DecodedAddress
  try {
    address = decodeKid(header.kid)
  } catch (error) {
    throw new BitjwsError(
      'ERR_BITJWS_KID_INVALID', "The header's kid must be a P2PKH address", { cause: error }
    )
  }
  checkNetwork(address.network, networks)

  // Only headers of plain values are kept: a shallow copy of them is a full one.
  if (Object.values(header).every((value) => value === null || typeof value !== 'object')) {
    if (headerCache.size >= CACHE_SIZE) headerCache.clear()
    headerCache.set(segment, {
      header: { ...header } as BitjwsHeader, keyHash: address.hash160, network: address.network
    })
  }
  return { header: header as BitjwsHeader, keyHash: address.hash160 }
}

function checkNetwork (network: Network, networks: readonly Network[]): void {
  if (!networks.includes(network)) {
    throw new BitjwsError(
      'ERR_BITJWS_NETWORK_NOT_ALLOWED', `Addresses of ${network} may not sign here`
    )
  }
}

// Reading a header (base64url, JSON, and a kid in Base58 with a double SHA-256
// in JavaScript) costs several percent of a verification, and clients send the
// same few headers again and again. Only headers and kids that passed every
// check are kept, and each map is emptied when full, so that a flood of new
// ones costs memory no more than this bound.
const CACHE_SIZE = 1024
const headerCache = new Map<string, { header: BitjwsHeader, keyHash: Buffer, network: Network }>()
const kidCache = new Map<string, DecodedAddress>()

function decodeKid (kid: unknown): DecodedAddress {
  const cached = typeof kid === 'string' ? kidCache.get(kid) : undefined
  if (cached !== undefined) return cached

  const address = decodeAddress(kid as string)
  if (kidCache.size >= CACHE_SIZE) kidCache.clear()
  kidCache.set(kid as string, address)
  return address
}

/**
 * Verifies that `segment` is a signature over `signingInput` by the key hashing
 * to `keyHash`. `segment` must hold only base64url characters.
 */
export function checkSignature (signingInput: string, segment: string, keyHash: Buffer): void {
  const signature = decodeSignatureSegment(segment, signatureScratch)
  if (signature === undefined) throw invalidSignature()

  const publicKey = recoverPublicKeyTransiently(
    writeMessageDigest(signingInput, digestScratch), signature
  )
  if (verifiedKeys.get(keyHash)?.equals(publicKey) === true) return
  if (!hash160(publicKey).equals(keyHash)) throw invalidSignature()
  verifiedKeys.set(keyHash, Buffer.from(publicKey))
}

// The signature and its digest are read once, by the recovery, and then let
// go: one buffer of each serves every verification, as none of them yields.
// The recovered key is likewise transient and copied only when it is kept.
const signatureScratch = Buffer.allocUnsafe(65)
const digestScratch = Buffer.allocUnsafe(32)

// A key that once hashed to a kid's hash still does, so the next signature that
// recovers to the same bytes skips hashing it again (SHA-256 and RIPEMD-160), a
// few percent of a verification. keyHash buffers live in the header and kid
// caches; entries go when they do.
const verifiedKeys = new WeakMap<Buffer, Buffer>()

/** Parses the payload and checks `exp` and `aud`, in that order. */
export function checkPayload (
  bytes: Buffer, options: VerifyOptions
): BitjwsClaims | Buffer {
  const payload = parseJsonObject(bytes)
  if (payload === undefined) {
    throw new BitjwsError(
      'ERR_BITJWS_PAYLOAD_INVALID', 'The payload must be a JSON object nested at most 64 deep'
    )
  }

  if (options.checkExpiration !== false) {
    checkExpiration(payload.exp, options.currentTime, options.clockTolerance ?? 0)
  }
  if (options.audience !== false && payload.aud !== options.audience) {
    throw new BitjwsError(
      'ERR_BITJWS_AUDIENCE_MISMATCH', 'The message was not addressed to this audience'
    )
  }

  return options.decodePayload === false ? bytes : payload
}

function checkExpiration (exp: unknown, currentTime: number | undefined, tolerance: number): void {
  // As in the Python library, a message without exp never counts as fresh.
  if (exp === undefined) {
    throw new BitjwsError('ERR_BITJWS_EXPIRED', 'The message has no exp claim')
  }
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    throw new BitjwsError('ERR_BITJWS_CLAIM_INVALID', 'The exp claim must be a number')
  }
  const now = currentTime ?? Date.now() / 1000
  if (now > exp + tolerance) {
    throw new BitjwsError('ERR_BITJWS_EXPIRED', 'The message has expired')
  }
}

export function encodePayload (claims: BitjwsClaims): string {
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) {
    throw new TypeError('The claims must be a plain object')
  }
  return encodeBase64url(JSON.stringify(claims))
}

/** Decodes a segment that holds only base64url characters, or throws ERR_BITJWS_MALFORMED. */
export function decodeSegment (segment: string, name: 'header' | 'payload'): Buffer {
  const bytes = decodeCheckedBase64url(segment)
  if (bytes === undefined || bytes.length === 0) throw notCanonical(name)
  return bytes
}

/**
 * Throws ERR_BITJWS_MALFORMED unless `segment` holds only base64url
 * characters: for segments that no shape check of the whole message vouched for.
 */
export function checkSegmentAlphabet (segment: string, name: 'header' | 'payload'): void {
  if (!isBase64url(segment)) throw notCanonical(name)
}

function notCanonical (name: 'header' | 'payload'): BitjwsError {
  return malformed(`The ${name} segment is not canonical base64url`)
}

function parseJsonObject (bytes: Buffer): Record<string, unknown> | undefined {
  const text = bytes.toString('utf8')
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value) &&
    !nestedDeeperThan(text, MAX_DEPTH)
    ? value as Record<string, unknown>
    : undefined
}

// JSON.parse copes with any nesting, but JSON.stringify and every recursive
// walk over the result overflow the stack near ten thousand levels; a signed
// payload that deep would crash whatever echoes or logs it.
const MAX_DEPTH = 64

/** Whether valid JSON `text` nests arrays and objects deeper than `limit`. */
function nestedDeeperThan (text: string, limit: number): boolean {
  // Every level opens with a bracket, and a message holds a handful of them:
  // counting those with indexOf spares walking every character of the text.
  if (countOpenings(text, limit + 1) <= limit) return false

  let depth = 0
  let inString = false
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (inString) {
      if (code === 0x5c) index++
      else if (code === 0x22) inString = false
    } else if (code === 0x22) {
      inString = true
    } else if (code === 0x5b || code === 0x7b) {
      if (++depth > limit) return true
    } else if (code === 0x5d || code === 0x7d) {
      depth--
    }
  }
  return false
}

/** How many '[' and '{' `text` holds, counting no further than `stop`. */
function countOpenings (text: string, stop: number): number {
  const objects = countUpTo(text, '{', stop)
  return objects < stop ? objects + countUpTo(text, '[', stop - objects) : objects
}

function countUpTo (text: string, character: string, stop: number): number {
  let count = 0
  for (let at = text.indexOf(character); at !== -1 && count < stop; count++) {
    at = text.indexOf(character, at + 1)
  }
  return count
}

/** Checks the caller's options; a mistake there is a TypeError, never a silent pass. */
export function assertVerifyOptions (options: VerifyOptions): void {
  const audience = options?.audience
  if (audience !== null && audience !== false && typeof audience !== 'string') {
    throw new TypeError(
      'The `audience` option must be a string, null, or false to skip the audience check'
    )
  }
  // NaN compares false with everything, so it would switch the expiry check off.
  const { clockTolerance, currentTime } = options
  if (clockTolerance !== undefined && !(Number.isFinite(clockTolerance) && clockTolerance >= 0)) {
    throw new TypeError('The `clockTolerance` option must be a finite, non-negative number')
  }
  if (currentTime !== undefined && !Number.isFinite(currentTime)) {
    throw new TypeError('The `currentTime` option must be a finite number of seconds')
  }
}

function malformed (message: string): BitjwsError {
  return new BitjwsError('ERR_BITJWS_MALFORMED', message)
}
