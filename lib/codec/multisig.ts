import { isBase64url } from './base64url.js'
import { BitjwsError } from './errors.js'
import { invalidSignature } from './message.js'
import type { PrivateKeyInput } from './keys.js'
import {
  DEFAULT_NETWORKS, assertVerifyOptions, checkPayload, checkSegmentAlphabet, checkSignature,
  decodeSegment, encodePayload, readHeader, type BitjwsClaims, type BitjwsHeader, type VerifyOptions
} from './compact.js'
import { encodeSignatureSegment } from './signature-segment.js'
import { toSigningKey, type SigningKey } from './signing-key.js'

/** The general JSON serialization: one payload, one signature per key. */
export interface MultisigMessage {
  payload: string
  signatures: Array<{ protected: string, signature: string }>
}

export interface MultisigVerifyOptions extends VerifyOptions {
  /** The most signatures one message may carry; each costs a key recovery. Default: 16. */
  maxSignatures?: number
}

export interface MultisigVerifyResult<Payload = BitjwsClaims> {
  headers: BitjwsHeader[]
  payload: Payload
}

/** Signs `claims` with every key; returns the JSON text of the general serialization. */
export function signMultisig (
  claims: BitjwsClaims, privateKeys: ReadonlyArray<PrivateKeyInput | SigningKey>
): string {
  if (!Array.isArray(privateKeys) || privateKeys.length === 0) {
    throw new TypeError('signMultisig needs a non-empty array of private keys')
  }

  const payload = encodePayload(claims)
  const signatures = privateKeys.map((input) => {
    const key = toSigningKey(input)
    const signature = key.signMessage(key.protectedHeader + '.' + payload)
    return { protected: key.protectedHeader, signature: encodeSignatureSegment(signature) }
  })
  return JSON.stringify({ payload, signatures })
}

export function verifyMultisig (
  message: string | MultisigMessage, options: MultisigVerifyOptions & { decodePayload: false }
): MultisigVerifyResult<Buffer>
export function verifyMultisig (
  message: string | MultisigMessage, options: MultisigVerifyOptions
): MultisigVerifyResult
/** Accepts the message only if it has signatures and every one of them is valid. */
export function verifyMultisig (
  message: string | MultisigMessage, options: MultisigVerifyOptions
): MultisigVerifyResult<BitjwsClaims | Buffer> {
  assertVerifyOptions(options)
  const maxSignatures = options.maxSignatures ?? 16
  if (!Number.isSafeInteger(maxSignatures) || maxSignatures < 1) {
    throw new TypeError('The `maxSignatures` option must be a positive integer')
  }
  const { payload, signatures } = readMultisig(message, maxSignatures)
  // The cheap check of the payload's shape comes before up to 16 key recoveries.
  checkSegmentAlphabet(payload, 'payload')
  const payloadBytes = decodeSegment(payload, 'payload')
  const networks = options.networks ?? DEFAULT_NETWORKS

  const headers = signatures.map((entry) => {
    checkSegmentAlphabet(entry.protected, 'header')
    const { header, keyHash } = readHeader(entry.protected, networks)
    if (!isBase64url(entry.signature)) throw invalidSignature()
    checkSignature(entry.protected + '.' + payload, entry.signature, keyHash)
    return header
  })

  return { headers, payload: checkPayload(payloadBytes, options) }
}

function readMultisig (message: string | MultisigMessage, maxSignatures: number): MultisigMessage {
  let value: unknown = message
  if (typeof message === 'string') {
    try {
      value = JSON.parse(message)
    } catch (error) {
      throw malformed({ cause: error })
    }
  }

  const candidate = value as Partial<MultisigMessage> | null
  const signatures = candidate?.signatures
  if (typeof candidate?.payload !== 'string' || !Array.isArray(signatures) ||
    signatures.length === 0 ||
    !signatures.every((entry) => typeof entry?.protected === 'string' &&
      typeof entry.signature === 'string')) {
    throw malformed()
  }
  if (signatures.length > maxSignatures) {
    throw new BitjwsError(
      'ERR_BITJWS_MALFORMED', `The message carries more than ${maxSignatures} signatures`
    )
  }
  return { payload: candidate.payload, signatures }
}

function malformed (options?: { cause: unknown }): BitjwsError {
  return new BitjwsError(
    'ERR_BITJWS_MALFORMED',
    'The message must be JSON with a payload and a non-empty list of signatures',
    options
  )
}
