import { createRequire } from 'node:module'
import { BitjwsError } from './errors.js'

/** The subset of the `secp256k1` package's API that the codec calls. */
export interface Secp256k1 {
  privateKeyVerify (privateKey: Uint8Array): boolean
  publicKeyCreate (privateKey: Uint8Array, compressed?: boolean): Uint8Array
  ecdsaSign (message: Uint8Array, privateKey: Uint8Array): { signature: Uint8Array, recid: number }
  ecdsaRecover (
    signature: Uint8Array, recid: number, message: Uint8Array, compressed?: boolean
  ): Uint8Array
}

export interface Backend {
  /** Always `'native'`: the codec refuses to run on the pure-JavaScript fallback. */
  readonly name: 'native'
  /** The libsecp256k1 addon file that was loaded. */
  readonly path: string
}

const require = createRequire(import.meta.url)

function loadNative (): { binding: Secp256k1, backend: Backend } {
  // `require('secp256k1')` silently swaps in the elliptic-based fallback when the
  // addon is missing: about 30 times slower, and its signing code has an open
  // key-leak advisory. Load the addon alone so that a broken install is loud.
  try {
    const packageDir = require.resolve('secp256k1/package.json').replace(/package\.json$/, '')
    const nodeGypBuild = require('node-gyp-build') as { path (dir: string): string }
    const path = nodeGypBuild.path(packageDir)
    const binding = require('secp256k1/bindings.js') as Secp256k1
    return { binding, backend: Object.freeze({ name: 'native', path }) }
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

const loaded = loadNative()

export const secp256k1: Secp256k1 = loaded.binding

/** Which secp256k1 implementation the codec runs on. */
export const backend: Backend = loaded.backend
