import { createRequire } from 'node:module'
import { BitjwsError } from './errors.js'

/** The libsecp256k1 calls the codec makes, shaped as the `secp256k1` package's API. */
export interface Secp256k1 {
  privateKeyVerify (privateKey: Uint8Array): boolean
  publicKeyCreate (privateKey: Uint8Array, compressed?: boolean): Uint8Array
  ecdsaSign (message: Uint8Array, privateKey: Uint8Array): { signature: Uint8Array, recid: number }
  ecdsaRecover (
    signature: Uint8Array, recid: number, message: Uint8Array, compressed?: boolean,
    output?: Uint8Array
  ): Uint8Array
}

export interface Backend {
  /** Always `'native'`: the codec refuses to run on the pure-JavaScript fallback. */
  readonly name: 'native'
  /** The libsecp256k1 addon file that was loaded. */
  readonly path: string
}

/**
 * The addon's own methods. They write into buffers the caller provides and
 * answer 0 for success or a small error number; byte lengths are checked in C++.
 */
interface Addon {
  privateKeyVerify (privateKey: Uint8Array): number
  publicKeyCreate (output: Uint8Array, privateKey: Uint8Array): number
  ecdsaSign (
    result: { signature: Uint8Array, recid: number }, message: Uint8Array, privateKey: Uint8Array
  ): number
  ecdsaRecover (
    output: Uint8Array, signature: Uint8Array, recid: number, message: Uint8Array
  ): number
}

const require = createRequire(import.meta.url)

function loadNative (): { addon: Addon, backend: Backend } {
  // `require('secp256k1')` silently swaps in the elliptic-based fallback when the
  // addon is missing: about 30 times slower, and its signing code has an open
  // key-leak advisory. Load the addon alone so that a broken install is loud.
  try {
    const packageDir = require.resolve('secp256k1/package.json').replace(/package\.json$/, '')
    const nodeGypBuild = require('node-gyp-build') as { path (dir: string): string }
    const path = nodeGypBuild.path(packageDir)
    const { Secp256k1 } = require(path) as { Secp256k1: new () => Addon }
    return { addon: new Secp256k1(), backend: Object.freeze({ name: 'native', path }) }
  } catch (error) {
    throw new BitjwsError(
      'ERR_BITJWS_NATIVE_UNAVAILABLE',
      'The native libsecp256k1 binding could not be loaded. Reinstall with ' +
        '`npm rebuild secp256k1` (a C++ toolchain is needed where no prebuild exists ' +
        'for this platform); fastify-bitjws does not fall back to pure JavaScript.',
      { cause: error }
    )
  }
}

const { addon, backend: loadedBackend } = loadNative()

function failed (operation: string, status: number): Error {
  return new Error(`libsecp256k1 ${operation} failed (status ${status})`)
}

// The package's JavaScript layer re-checks every argument's type and length
// before each call, which costs about as much as hashing the message. Every
// caller here passes buffers it has sized itself, and the addon still checks
// the lengths in C++, so verification calls the addon directly.
export const secp256k1: Secp256k1 = {
  privateKeyVerify (privateKey) {
    return addon.privateKeyVerify(privateKey) === 0
  },

  publicKeyCreate (privateKey, compressed = true) {
    const output = new Uint8Array(compressed ? 33 : 65)
    const status = addon.publicKeyCreate(output, privateKey)
    if (status !== 0) throw failed('public key creation', status)
    return output
  },

  ecdsaSign (message, privateKey) {
    const result = { signature: new Uint8Array(64), recid: 0 }
    const status = addon.ecdsaSign(result, message, privateKey)
    if (status !== 0) throw failed('signing', status)
    return result
  },

  ecdsaRecover (signature, recid, message, compressed = true, output) {
    // libsecp256k1 aborts the whole process on a recovery id outside 0–3, and
    // the addon installs no callback to turn that into an exception.
    if (recid !== (recid & 3)) throw new RangeError('The recovery id must be 0, 1, 2 or 3')
    // The addon serializes the key as the output's length says.
    const length = compressed ? 33 : 65
    if (output === undefined) output = new Uint8Array(length)
    else if (output.length !== length) throw new RangeError(`The output must be ${length} bytes`)
    const status = addon.ecdsaRecover(output, signature, recid, message)
    if (status !== 0) throw failed('key recovery', status)
    return output
  }
}

/** Which secp256k1 implementation the codec runs on. */
export const backend: Backend = loadedBackend
