export { BITJWS_ERROR_CODES, BitjwsError, isBitjwsError, type BitjwsErrorCode } from './errors.js'
export { backend, type Backend } from './native.js'
export { decodeBase64url, encodeBase64url } from './base64url.js'
export {
  decodeAddress, decodePrivateKey, decodeWif, encodeWif, generatePrivateKey, hash160, isAddress,
  privateKeyToAddress, publicKeyOf, publicKeyToAddress,
  type DecodedAddress, type DecodedPrivateKey, type Network, type PrivateKeyInput
} from './keys.js'
export { messageDigest, recoverPublicKey } from './message.js'
export { ALGORITHM, SigningKey } from './signing-key.js'
export {
  sign, signSerialize, verify,
  type BitjwsClaims, type BitjwsHeader, type SignSerializeOptions, type VerifyOptions,
  type VerifyResult
} from './compact.js'
export {
  signMultisig, verifyMultisig,
  type MultisigMessage, type MultisigVerifyOptions, type MultisigVerifyResult
} from './multisig.js'
