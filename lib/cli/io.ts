import { readFile, stat } from 'node:fs/promises'
import { SigningKey } from '../codec/index.js'
import { CliError, EXIT } from './errors.js'

/** What a command may touch outside itself; tests pass their own. */
export interface CliIo {
  env: Readonly<Record<string, string | undefined>>
  stdout (text: string): void
  stderr (text: string): void
  /** The whole of standard input. */
  readStdin (): Promise<string>
  /** Whether standard input is a terminal, where waiting for a token would hang. */
  stdinIsTerminal: boolean
}

export const KEY_VARIABLE = 'BITJWS_PRIVATE_KEY'

/**
 * The signing key from `--key-file` when given, otherwise from the environment.
 * The key never comes from an argument value, which other users could read in
 * the process list and which shells keep in their history.
 */
export async function loadSigningKey (
  io: CliIo, keyFile: string | undefined
): Promise<SigningKey> {
  let text: string
  let source: string
  if (keyFile !== undefined) {
    text = await readKeyFile(io, keyFile)
    source = keyFile
  } else {
    const value = io.env[KEY_VARIABLE]
    if (value === undefined || value.trim() === '') {
      throw new CliError(
        'ERR_BITJWS_CLI_KEY_MISSING', EXIT.KEY,
        `No private key: set ${KEY_VARIABLE} or pass --key-file FILE`
      )
    }
    text = value
    source = KEY_VARIABLE
  }

  try {
    return new SigningKey(keyText(text))
  } catch (error) {
    // Says where the key came from, never what it was.
    throw new CliError(
      'ERR_BITJWS_KEY_INVALID', EXIT.KEY,
      `${source} does not hold a WIF private key or the JSON that keygen writes`,
      { cause: error }
    )
  }
}

/** A WIF, alone or as the `wif` field of the JSON that `bitjws keygen --json` prints. */
function keyText (text: string): string {
  const trimmed = text.trim()
  if (!trimmed.startsWith('{')) return trimmed
  try {
    const { wif } = JSON.parse(trimmed) as { wif?: unknown }
    return typeof wif === 'string' ? wif : ''
  } catch {
    return ''
  }
}

async function readKeyFile (io: CliIo, keyFile: string): Promise<string> {
  let text: string
  try {
    text = await readFile(keyFile, 'utf8')
  } catch (error) {
    throw new CliError(
      'ERR_BITJWS_CLI_KEY_UNREADABLE', EXIT.KEY,
      `Cannot read the key file ${keyFile}: ${errorCode(error)}`, { cause: error }
    )
  }

  // As ssh does, though only as a warning: a key others can read is no longer only ours.
  if (process.platform !== 'win32' && ((await stat(keyFile)).mode & 0o077) !== 0) {
    io.stderr(`bitjws: warning: ${keyFile} can be read by other users; run chmod 600 on it\n`)
  }
  return text
}

/**
 * The JSON value of a `--data` argument: literal JSON, `@FILE` for a file's
 * contents, or `-` for standard input.
 */
export async function readData (io: CliIo, argument: string): Promise<unknown> {
  let text: string
  let source: string
  if (argument === '-') {
    text = await io.readStdin()
    source = 'standard input'
  } else if (argument.startsWith('@')) {
    const file = argument.slice(1)
    try {
      text = await readFile(file, 'utf8')
    } catch (error) {
      throw new CliError(
        'ERR_BITJWS_CLI_INPUT', EXIT.USAGE, `Cannot read ${file}: ${errorCode(error)}`,
        { cause: error }
      )
    }
    source = file
  } else {
    text = argument
    source = 'the --data value'
  }

  try {
    return JSON.parse(text)
  } catch (error) {
    throw new CliError(
      'ERR_BITJWS_CLI_INPUT', EXIT.USAGE, `Invalid JSON in ${source}`, { cause: error }
    )
  }
}

// Only file system errors reach here, and each of them carries a code.
function errorCode (error: unknown): string {
  return String((error as NodeJS.ErrnoException).code)
}

export function printJson (io: CliIo, value: unknown): void {
  io.stdout(JSON.stringify(value, null, 2) + '\n')
}
