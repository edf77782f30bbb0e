import { hash, randomBytes } from 'node:crypto'
import bs58check from 'bs58check'
import { BitjwsError } from './errors.js'
import { secp256k1 } from './native.js'

export type Network = 'mainnet' | 'testnet'

const WIF_VERSION: Record<Network, number> = { mainnet: 0x80, testnet: 0xef }
const ADDRESS_VERSION: Record<Network, number> = { mainnet: 0x00, testnet: 0x6f }

/** A private key as WIF text, or its 32 raw bytes (then taken as compressed mainnet). */
export type PrivateKeyInput = string | Uint8Array

export interface DecodedPrivateKey {
  privateKey: Uint8Array
  compressed: boolean
  network: Network
}

export interface DecodedAddress {
  network: Network
  /** RIPEMD160(SHA256(public key)): what a signature's recovered key must hash to. */
  hash160: Buffer
}

export function hash160 (data: Uint8Array): Buffer {
  return hash('ripemd160', hash('sha256', data, 'buffer'), 'buffer')
}

/** A new private key from the operating system's CSPRNG, as WIF. */
export function generatePrivateKey (
  options: { network?: Network, compressed?: boolean } = {}
): string {
  let privateKey = randomBytes(32)
  // Fewer than 1 in 2^127 draws fall outside the curve order; draw again then.
  while (!secp256k1.privateKeyVerify(privateKey)) privateKey = randomBytes(32)
  return encodeWif(privateKey, options)
}

export function encodeWif (
  privateKey: Uint8Array,
  { network = 'mainnet', compressed = true }: { network?: Network, compressed?: boolean } = {}
): string {
  assertPrivateKeyBytes(privateKey)
  const body = Buffer.alloc(compressed ? 34 : 33)
  body[0] = WIF_VERSION[network]
  body.set(privateKey, 1)
  if (compressed) body[33] = 0x01
  return bs58check.encode(body)
}

export function decodeWif (wif: string): DecodedPrivateKey {
  const body = typeof wif === 'string' ? bs58check.decodeUnsafe(wif) : undefined
  if (body === undefined) {
    throw new BitjwsError('ERR_BITJWS_KEY_INVALID', 'The private key is not valid WIF')
  }

  const network = networkOfVersion(WIF_VERSION, body[0])
  const compressed = body.length === 34 && body[33] === 0x01
  if (network === undefined || !(body.length === 33 || compressed)) {
    throw new BitjwsError('ERR_BITJWS_KEY_INVALID', 'The private key is not valid WIF')
  }

  const privateKey = body.slice(1, 33)
  assertPrivateKeyBytes(privateKey)
  return { privateKey, compressed, network }
}

/** Accepts WIF or 32 raw bytes; raw bytes stand for a compressed mainnet key. */
export function decodePrivateKey (input: PrivateKeyInput): DecodedPrivateKey {
  if (typeof input === 'string') return decodeWif(input)
  assertPrivateKeyBytes(input)
  return { privateKey: Uint8Array.from(input), compressed: true, network: 'mainnet' }
}

export function publicKeyOf (privateKey: Uint8Array, compressed = true): Uint8Array {
  assertPrivateKeyBytes(privateKey)
  return secp256k1.publicKeyCreate(privateKey, compressed)
}

export function publicKeyToAddress (publicKey: Uint8Array, network: Network = 'mainnet'): string {
  const body = Buffer.alloc(21)
  body[0] = ADDRESS_VERSION[network]
  hash160(publicKey).copy(body, 1)
  return bs58check.encode(body)
}

/** The P2PKH address of a private key, on the key's own network. */
export function privateKeyToAddress (input: PrivateKeyInput): string {
  const { privateKey, compressed, network } = decodePrivateKey(input)
  return publicKeyToAddress(publicKeyOf(privateKey, compressed), network)
}

export function decodeAddress (address: string): DecodedAddress {
  const body = typeof address === 'string' && address.length <= 64
    ? bs58check.decodeUnsafe(address)
    : undefined
  const network = body?.length === 21 ? networkOfVersion(ADDRESS_VERSION, body[0]) : undefined
  if (body === undefined || network === undefined) {
    throw new BitjwsError('ERR_BITJWS_ADDRESS_INVALID', 'The address is not a valid P2PKH address')
  }
  return { network, hash160: Buffer.from(body.buffer, body.byteOffset + 1, 20) }
}

export function isAddress (address: unknown, networks?: readonly Network[]): boolean {
  try {
    const { network } = decodeAddress(address as string)
    return networks === undefined || networks.includes(network)
  } catch {
    return false
  }
}

function networkOfVersion (
  versions: Record<Network, number>, version: number | undefined
): Network | undefined {
  if (version === versions.mainnet) return 'mainnet'
  if (version === versions.testnet) return 'testnet'
  return undefined
}

function assertPrivateKeyBytes (privateKey: Uint8Array): void {
  if (!(privateKey instanceof Uint8Array) || privateKey.length !== 32 ||
    !secp256k1.privateKeyVerify(privateKey)) {
    throw new BitjwsError(
      'ERR_BITJWS_KEY_INVALID', 'The private key must be 32 bytes within the curve order'
    )
  }
}
