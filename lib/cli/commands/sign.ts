import { sign as signClaims, type BitjwsClaims } from '../../codec/index.js'
import { nextNonce } from '../../client/nonce.js'
import { DATA_OPTION, KEY_FILE_OPTION, parseCommand, positiveSeconds } from '../args.js'
import { EXIT, usageError, type ExitStatus } from '../errors.js'
import { loadSigningKey, readData, type CliIo } from '../io.js'

const DEFAULT_EXPIRES = 3600
// What the Python library writes when expiry is off.
const NO_EXPIRY = 2 ** 31

export async function sign (args: string[], io: CliIo): Promise<ExitStatus> {
  const { values } = parseCommand(args, {
    ...KEY_FILE_OPTION,
    ...DATA_OPTION,
    aud: { type: 'string' },
    expires: { type: 'string' },
    'no-expiry': { type: 'boolean' }
  }, 0)
  if (values.aud === undefined) throw usageError('--aud PATH is required')
  if (values.expires !== undefined && values['no-expiry'] === true) {
    throw usageError('--expires and --no-expiry exclude each other')
  }
  const expires = values.expires === undefined
    ? DEFAULT_EXPIRES
    : positiveSeconds(values.expires, 'expires')
  const data = values.data === undefined ? undefined : await readData(io, values.data)
  const key = await loadSigningKey(io, values['key-file'])

  const now = Date.now()
  const claims: BitjwsClaims = {
    aud: values.aud,
    iat: nextNonce(key.address, now),
    exp: values['no-expiry'] === true ? NO_EXPIRY : now / 1000 + expires
  }
  if (data !== undefined) claims.data = data

  io.stdout(signClaims(claims, key) + '\n')
  return EXIT.OK
}
