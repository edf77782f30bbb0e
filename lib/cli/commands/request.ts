import { isAddress } from '../../codec/index.js'
import { createClient, type RequestMethod } from '../../client/index.js'
import { DATA_OPTION, KEY_FILE_OPTION, parseCommand, positiveSeconds } from '../args.js'
import { EXIT, usageError, type ExitStatus } from '../errors.js'
import { loadSigningKey, printJson, readData, type CliIo } from '../io.js'

export const SERVER_ADDRESS_VARIABLE = 'BITJWS_SERVER_ADDRESS'

const METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']

export async function request (args: string[], io: CliIo): Promise<ExitStatus> {
  const { values, positionals } = parseCommand(args, {
    ...KEY_FILE_OPTION,
    ...DATA_OPTION,
    method: { type: 'string', default: 'POST' },
    'server-address': { type: 'string' },
    testnet: { type: 'boolean' },
    expires: { type: 'string' },
    timeout: { type: 'string' }
  }, 1)

  const url = parseUrl(positionals[0])
  const method = values.method.toUpperCase()
  if (!METHODS.includes(method)) {
    throw usageError(`--method must be one of ${METHODS.join(', ')}`)
  }
  if (method === 'GET' && values.data !== undefined) {
    throw usageError('A GET request carries no body, so it cannot send --data')
  }
  const serverAddress = values['server-address'] ?? io.env[SERVER_ADDRESS_VARIABLE]
  if (serverAddress !== undefined && !isAddress(serverAddress)) {
    throw usageError(`${serverAddress} is not a P2PKH address`)
  }
  const timeout = values.timeout === undefined ? undefined : parseTimeout(values.timeout)
  const expireAfter = values.expires === undefined
    ? undefined
    : positiveSeconds(values.expires, 'expires')
  const data = values.data === undefined ? undefined : await readData(io, values.data)
  const key = await loadSigningKey(io, values['key-file'])

  const client = createClient({
    baseUrl: url.origin,
    privateKey: key,
    ...(serverAddress === undefined ? {} : { serverAddress }),
    ...(values.testnet === true ? { networks: ['mainnet', 'testnet'] as const } : {}),
    ...(timeout === undefined ? {} : { timeout }),
    ...(expireAfter === undefined ? {} : { expireAfter })
  })
  const reply = await client.request(
    method as RequestMethod, url.pathname + url.search, data
  )

  if (serverAddress === undefined) {
    io.stderr(
      `bitjws: note: the reply was signed by ${reply.header.kid}, which was not checked; ` +
      `pass --server-address ${reply.header.kid} to require it\n`
    )
  }
  if (reply.data !== undefined) printJson(io, reply.data)
  return EXIT.OK
}

function parseUrl (argument: string | undefined): URL {
  if (argument === undefined) throw usageError('The URL to call is required')
  let url: URL | undefined
  try {
    url = new URL(argument)
  } catch {}
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw usageError(`${argument} is not an http or https URL`)
  }
  return url
}

function parseTimeout (value: string): number {
  const timeout = Number(value)
  if (!/^\d+$/.test(value) || timeout < 1 || timeout > 2 ** 31 - 1) {
    throw usageError('--timeout must be a whole number of milliseconds from 1 to 2147483647')
  }
  return timeout
}
