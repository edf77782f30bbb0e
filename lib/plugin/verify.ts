import { verify, type BitjwsClaims, type VerifyResult } from '../codec/compact.js'
import { isBitjwsError } from '../codec/errors.js'
import { LifetimeError, fromCodecError } from './errors.js'
import type { ResolvedOptions } from './options.js'

/** The codec's verify with the plugin's settings; codec errors become coded 401s. */
export function verifyToken (
  token: string, audience: string | null, options: ResolvedOptions
): VerifyResult<BitjwsClaims> {
  let result: VerifyResult<BitjwsClaims>
  try {
    result = verify(token, {
      audience, networks: options.networks, clockTolerance: options.clockTolerance
    })
  } catch (error) {
    if (isBitjwsError(error)) throw fromCodecError(error.code, error)
    throw error
  }

  // A nonce record that expires (as Redis may let it) must outlive every
  // message it guards, so messages may not live longer than the record.
  const exp = result.payload.exp as number
  if (options.maxLifetime !== undefined && exp > Date.now() / 1000 + options.maxLifetime) {
    throw new LifetimeError()
  }
  return result
}
