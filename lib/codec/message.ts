import { hash } from 'node:crypto'
import { BitjwsError } from './errors.js'
import { secp256k1 } from './native.js'

// varint(24) followed by the 24 bytes of Bitcoin's message-signing magic.
const MAGIC = Buffer.from('\x18Bitcoin Signed Message:\n', 'latin1')

// Half the curve order: a larger s is the malleable twin of a valid signature.
const HALF_ORDER = Buffer.from(
  '7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0', 'hex'
)

const FLAG_MIN = 27
const FLAG_MAX = 34

/** Writes Bitcoin's CompactSize encoding of `value` at `offset`; returns the next offset. */
export function writeCompactSize (target: Buffer, value: number, offset: number): number {
  if (value < 0xfd) {
    target[offset] = value
    return offset + 1
  }
  if (value <= 0xffff) {
    target[offset] = 0xfd
    return target.writeUInt16LE(value, offset + 1)
  }
  if (value <= 0xffffffff) {
    target[offset] = 0xfe
    return target.writeUInt32LE(value, offset + 1)
  }
  target[offset] = 0xff
  return target.writeBigUInt64LE(BigInt(value), offset + 1)
}

export function compactSizeLength (value: number): number {
  if (value < 0xfd) return 1
  if (value <= 0xffff) return 3
  return value <= 0xffffffff ? 5 : 9
}

// Messages are laid out for hashing in one reused buffer that already starts
// with the magic, and the first digest lands in another: no allocation per
// call, and the same few hundred bytes stay in cache between requests.
// Hashing is synchronous, so no two calls ever share them at once.
const SCRATCH_SIZE = 4096
const scratch = Buffer.allocUnsafe(SCRATCH_SIZE)
MAGIC.copy(scratch, 0)
const innerDigest = Buffer.allocUnsafe(32)

/**
 * SHA256(SHA256(magic || CompactSize(len) || message)). A string is taken as
 * its UTF-8 bytes, as Bitcoin message signing does; for the ASCII of
 * base64url segments that is one byte per character.
 */
export function messageDigest (message: string | Uint8Array): Buffer {
  return writeMessageDigest(message, Buffer.allocUnsafe(32))
}

/**
 * {@link messageDigest} written into `target`, 32 bytes, for a caller that
 * uses the digest at once and can spare the allocation. Kept off the package
 * root: a shorter target would silently take a truncated digest.
 */
export function writeMessageDigest (message: string | Uint8Array, target: Buffer): Buffer {
  const length = typeof message === 'string'
    ? Buffer.byteLength(message, 'utf8')
    : message.byteLength
  const total = MAGIC.length + compactSizeLength(length) + length
  let buffer = scratch
  if (total > SCRATCH_SIZE) {
    buffer = Buffer.allocUnsafe(total)
    MAGIC.copy(buffer, 0)
  }
  const offset = writeCompactSize(buffer, length, MAGIC.length)
  if (typeof message === 'string') buffer.write(message, offset, 'utf8')
  else buffer.set(message, offset)

  // A 'buffer' digest comes back in a fresh ArrayBuffer allocated in C++, which
  // costs more than hashing a short message; a 'binary' (latin1) string copied
  // into a buffer carries the same bytes in less than half the time.
  const input = new Uint8Array(buffer.buffer, buffer.byteOffset, total)
  innerDigest.write(hash('sha256', input, 'binary'), 0, 'binary')
  target.write(hash('sha256', innerDigest, 'binary'), 0, 'binary')
  return target
}

/**
 * A 65-byte recoverable signature: flag, r, s. Deterministic (RFC 6979) and
 * low-S, as libsecp256k1 always produces.
 */
export function signDigest (
  digest: Uint8Array, privateKey: Uint8Array, compressed: boolean
): Buffer {
  const { signature, recid } = secp256k1.ecdsaSign(digest, privateKey)
  const result = Buffer.allocUnsafe(65)
  result[0] = FLAG_MIN + recid + (compressed ? 4 : 0)
  result.set(signature, 1)
  return result
}

/**
 * The public key that made `signature` over `digest`, serialized compressed or
 * not as the flag says. Throws ERR_BITJWS_SIGNATURE_INVALID for a flag outside
 * 27–34, a high-S signature, or one that recovers no key.
 */
export function recoverPublicKey (digest: Uint8Array, signature: Uint8Array): Uint8Array {
  return recover(digest, signature, false)
}

/**
 * {@link recoverPublicKey} into a buffer that the next call overwrites, for a
 * caller that compares the key at once and copies it if it must keep it.
 */
export function recoverPublicKeyTransiently (
  digest: Uint8Array, signature: Uint8Array
): Uint8Array {
  return recover(digest, signature, true)
}

// Keys recovered for a comparison only, by the verification path, land in one
// of these and are overwritten by the next recovery.
const transientKeys = { compressed: new Uint8Array(33), uncompressed: new Uint8Array(65) }

function recover (digest: Uint8Array, signature: Uint8Array, transient: boolean): Uint8Array {
  const flag = signature[0] as number
  if (signature.length !== 65 || flag < FLAG_MIN || flag > FLAG_MAX) throw invalidSignature()

  // The protocol's peers all sign with libsecp256k1, which only makes low-S
  // signatures; refusing the high-S twin keeps one valid signature per message.
  if (isHighS(signature)) throw invalidSignature()

  const recid = (flag - FLAG_MIN) & 3
  const compressed = flag >= FLAG_MIN + 4
  let output: Uint8Array | undefined
  if (transient) output = compressed ? transientKeys.compressed : transientKeys.uncompressed
  try {
    return secp256k1.ecdsaRecover(signature.subarray(1), recid, digest, compressed, output)
  } catch (error) {
    throw invalidSignature(error)
  }
}

/** Whether s, the last 32 bytes of a 65-byte signature, is above half the curve order. */
function isHighS (signature: Uint8Array): boolean {
  // Byte by byte in JavaScript: the first byte nearly always decides, and
  // Buffer#compare with offsets is a call into C++.
  for (let index = 0; index < 32; index++) {
    const difference = (signature[33 + index] as number) - (HALF_ORDER[index] as number)
    if (difference !== 0) return difference > 0
  }
  return false
}

export function invalidSignature (cause?: unknown): BitjwsError {
  return new BitjwsError('ERR_BITJWS_SIGNATURE_INVALID', 'The signature is not valid', { cause })
}
