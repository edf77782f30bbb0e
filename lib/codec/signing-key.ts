import { encodeBase64url } from './base64url.js'
import {
  decodePrivateKey, publicKeyOf, publicKeyToAddress, type Network, type PrivateKeyInput
} from './keys.js'
import { messageDigest, signDigest } from './message.js'

export const ALGORITHM = 'CUSTOM-BITCOIN-SIGN'

const privateKeys = new WeakMap<SigningKey, Uint8Array>()

/**
 * A private key decoded once, with its address and its protected header ready,
 * for callers that sign many messages with one key. The key bytes are held
 * outside the object so that logging or serializing it cannot reveal them.
 */
export class SigningKey {
  readonly address: string
  readonly network: Network
  readonly compressed: boolean
  /** base64url of `{"alg":"CUSTOM-BITCOIN-SIGN","kid":address,"typ":"JWT"}`. */
  readonly protectedHeader: string

  constructor (input: PrivateKeyInput) {
    const { privateKey, compressed, network } = decodePrivateKey(input)
    privateKeys.set(this, privateKey)
    this.network = network
    this.compressed = compressed
    this.address = publicKeyToAddress(publicKeyOf(privateKey, compressed), network)
    this.protectedHeader = encodeBase64url(
      JSON.stringify({ alg: ALGORITHM, kid: this.address, typ: 'JWT' })
    )
  }

  /** The 65-byte Bitcoin message signature of `message`. */
  signMessage (message: string | Uint8Array): Buffer {
    return signDigest(messageDigest(message), privateKeys.get(this) as Uint8Array, this.compressed)
  }

  toJSON (): { address: string, network: Network } {
    return { address: this.address, network: this.network }
  }
}

export function toSigningKey (key: PrivateKeyInput | SigningKey): SigningKey {
  return key instanceof SigningKey ? key : new SigningKey(key)
}
