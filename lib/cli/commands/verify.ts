import { verify as verifyMessage } from '../../codec/index.js'
import { parseCommand } from '../args.js'
import { EXIT, usageError, type ExitStatus } from '../errors.js'
import { printJson, type CliIo } from '../io.js'

export async function verify (args: string[], io: CliIo): Promise<ExitStatus> {
  const { values, positionals } = parseCommand(args, {
    aud: { type: 'string' },
    'no-expiry': { type: 'boolean' },
    testnet: { type: 'boolean' }
  }, 1)
  const argument = positionals[0] ?? '-'
  if (argument === '-' && io.stdinIsTerminal) {
    throw usageError('Give the message as TOKEN or on standard input')
  }

  const token = argument === '-' ? (await io.readStdin()).trim() : argument
  // Without --aud nothing is compared: this command inspects, it does not guard a route.
  const { header, payload } = verifyMessage(token, {
    audience: values.aud ?? false,
    checkExpiration: values['no-expiry'] !== true,
    networks: values.testnet === true ? ['testnet'] : ['mainnet']
  })

  printJson(io, { header, payload })
  return EXIT.OK
}
