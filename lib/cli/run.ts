import { readFile } from 'node:fs/promises'
import { isBitjwsError } from '../codec/index.js'
import { isBitjwsClientError } from '../client/index.js'
import { address } from './commands/address.js'
import { keygen } from './commands/keygen.js'
import { request } from './commands/request.js'
import { sign } from './commands/sign.js'
import { verify } from './commands/verify.js'
import { CliError, EXIT, type ExitStatus } from './errors.js'
import { HELP } from './help.js'
import type { CliIo } from './io.js'

type Command = (args: string[], io: CliIo) => Promise<ExitStatus>

const COMMANDS: Record<string, Command> = { keygen, address, sign, verify, request }

/** Runs `bitjws` with `argv` (without node and the script); resolves the exit status. */
export async function run (argv: string[], io: CliIo): Promise<ExitStatus> {
  const [name, ...args] = argv
  if (name === undefined) {
    io.stderr(HELP.main)
    return EXIT.USAGE
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? args[0] ?? 'main' : 'main'
    return showHelp(io, topic)
  }
  if (name === '--version') {
    io.stdout(await version() + '\n')
    return EXIT.OK
  }

  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined
  if (command === undefined) {
    return report(io, 'bitjws', 'ERR_BITJWS_CLI_USAGE', `Unknown command: ${name}`, EXIT.USAGE)
  }
  if (wantsHelp(args)) return showHelp(io, name)

  try {
    return await command(args, io)
  } catch (error) {
    return reportError(io, name, error)
  }
}

function showHelp (io: CliIo, topic: string): ExitStatus {
  const text = Object.hasOwn(HELP, topic) ? HELP[topic] : undefined
  if (text === undefined) {
    return report(io, 'bitjws', 'ERR_BITJWS_CLI_USAGE', `Unknown command: ${topic}`, EXIT.USAGE)
  }
  io.stdout(text)
  return EXIT.OK
}

/** `-h` or `--help` anywhere before a `--` that ends the options. */
function wantsHelp (args: string[]): boolean {
  const end = args.indexOf('--')
  const options = end === -1 ? args : args.slice(0, end)
  return options.includes('--help') || options.includes('-h')
}

function reportError (io: CliIo, name: string, error: unknown): ExitStatus {
  if (error instanceof CliError) {
    const hint = error.exitStatus === EXIT.USAGE ? `\nRun 'bitjws ${name} --help' for usage.` : ''
    return report(io, `bitjws ${name}`, error.code, error.message + hint, error.exitStatus)
  }
  if (isBitjwsError(error) || isBitjwsClientError(error)) {
    return report(io, `bitjws ${name}`, error.code, error.message, EXIT.FAILED)
  }
  throw error
}

function report (
  io: CliIo, prefix: string, code: string, message: string, status: ExitStatus
): ExitStatus {
  io.stderr(`${prefix}: ${code}: ${message}\n`)
  return status
}

async function version (): Promise<string> {
  // main.js runs from dist/lib/cli/, three levels below the package root.
  const text = await readFile(new URL('../../../package.json', import.meta.url), 'utf8')
  return (JSON.parse(text) as { version: string }).version
}
