/** Exit statuses of the `bitjws` command, as its help lists them. */
export const EXIT = {
  OK: 0,
  /** A message failed verification, or a request failed or was refused. */
  FAILED: 1,
  /** The command line or the `--data` input was wrong. */
  USAGE: 2,
  /** No usable private key. */
  KEY: 3
} as const

export type ExitStatus = typeof EXIT[keyof typeof EXIT]

export type CliErrorCode =
  | 'ERR_BITJWS_CLI_USAGE'
  | 'ERR_BITJWS_CLI_INPUT'
  | 'ERR_BITJWS_CLI_KEY_MISSING'
  | 'ERR_BITJWS_CLI_KEY_UNREADABLE'
  | 'ERR_BITJWS_KEY_INVALID'

/** A failure the command reports as `bitjws: CODE: message` before exiting with `exitStatus`. */
export class CliError extends Error {
  readonly code: CliErrorCode
  readonly exitStatus: ExitStatus

  constructor (
    code: CliErrorCode, exitStatus: ExitStatus, message: string, options?: { cause?: unknown }
  ) {
    super(message, options)
    this.name = 'CliError'
    this.code = code
    this.exitStatus = exitStatus
  }
}

export function usageError (message: string): CliError {
  return new CliError('ERR_BITJWS_CLI_USAGE', EXIT.USAGE, message)
}
