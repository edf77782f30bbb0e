import { generatePrivateKey, privateKeyToAddress } from '../../codec/index.js'
import { parseCommand } from '../args.js'
import { EXIT, type ExitStatus } from '../errors.js'
import { printJson, type CliIo } from '../io.js'

export async function keygen (args: string[], io: CliIo): Promise<ExitStatus> {
  const { values } = parseCommand(args, {
    testnet: { type: 'boolean' }, json: { type: 'boolean' }
  }, 0)

  const network = values.testnet === true ? 'testnet' : 'mainnet'
  const wif = generatePrivateKey({ network })
  const address = privateKeyToAddress(wif)

  // The one place a private key is ever printed: the user asked for it.
  if (values.json === true) {
    printJson(io, { wif, address, network })
  } else {
    io.stdout(`private key: ${wif}\naddress:     ${address}\n`)
  }
  return EXIT.OK
}
