import { parseArgs, type ParseArgsConfig } from 'node:util'
import { usageError } from './errors.js'

type OptionsConfig = NonNullable<ParseArgsConfig['options']>

export const KEY_FILE_OPTION = { 'key-file': { type: 'string' } } as const
export const DATA_OPTION = { data: { type: 'string' } } as const

/** node:util parseArgs in strict mode, its complaints turned into usage errors. */
export function parseCommand<Options extends OptionsConfig> (
  args: string[], options: Options, maxPositionals: number
): ReturnType<typeof parseArgs<{ args: string[], options: Options, allowPositionals: true }>> {
  let parsed
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true })
  } catch (error) {
    // Node's advice on '--' for unknown options only distracts from the typo.
    throw usageError((error as Error).message.replace(/\. To specify a positional.*$/s, ''))
  }
  if (parsed.positionals.length > maxPositionals) {
    throw usageError(`Unexpected argument: ${parsed.positionals[maxPositionals]}`)
  }
  return parsed
}

/** A number of seconds given as `--name`, positive and finite. */
export function positiveSeconds (value: string, name: string): number {
  const seconds = Number(value)
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) {
    throw usageError(`--${name} must be a positive number of seconds`)
  }
  return seconds
}
