import { KEY_FILE_OPTION, parseCommand } from '../args.js'
import { EXIT, type ExitStatus } from '../errors.js'
import { loadSigningKey, type CliIo } from '../io.js'

export async function address (args: string[], io: CliIo): Promise<ExitStatus> {
  const { values } = parseCommand(args, { ...KEY_FILE_OPTION }, 0)
  const key = await loadSigningKey(io, values['key-file'])

  io.stdout(key.address + '\n')
  return EXIT.OK
}
