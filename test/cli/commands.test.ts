import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  decodeWif, generatePrivateKey, privateKeyToAddress, sign, verify
} from '../../lib/codec/index.js'
import { HELP } from '../../lib/cli/help.js'
import {
  runInProcess as bitjws, startExample, temporaryDirectory, writeKeyFile, type CliResult,
  type Example
} from './helpers.js'
import { replySigned, startFakeServer } from '../client/helpers.js'

const wif = generatePrivateKey()
const address = privateKeyToAddress(wif)
const withKey = { env: { BITJWS_PRIVATE_KEY: wif } }

function assertFails (result: CliResult, status: number, stderr: string | RegExp): void {
  assert.equal(result.status, status, result.stderr)
  assert.equal(result.stdout, '')
  if (typeof stderr === 'string') assert.equal(result.stderr, stderr)
  else assert.match(result.stderr, stderr)
}

const USAGE_HINT = (command: string): string => `\nRun 'bitjws ${command} --help' for usage.\n`

describe('help, version and unknown commands', () => {
  test('without a command, the help goes to stderr with status 2', async () => {
    assertFails(await bitjws([]), 2, HELP.main as string)
  })

  test('--help, -h and help print the main help', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      assert.deepEqual(await bitjws(args), { status: 0, stdout: HELP.main, stderr: '' })
    }
  })

  test('every command has its own help, given without a key', async () => {
    for (const command of ['keygen', 'address', 'sign', 'verify', 'request']) {
      const help = HELP[command] as string
      assert.match(help, new RegExp(`^Usage: bitjws ${command}`))
      assert.match(help, /Exit status:\n {2}0 {2}success\n {2}1 {2}/)
      assert.deepEqual(await bitjws([command, '--help']), { status: 0, stdout: help, stderr: '' })
      assert.deepEqual(await bitjws([command, '--aud', '/x', '-h']),
        { status: 0, stdout: help, stderr: '' })
      assert.deepEqual(await bitjws(['help', command]), { status: 0, stdout: help, stderr: '' })
    }
  })

  test('verify --help says that without --aud the audience is not checked', () => {
    assert.match(HELP.verify as string, /Without --aud the audience is NOT checked/)
  })

  test('a --help after -- is an argument, not a request for help', async () => {
    assertFails(await bitjws(['verify', '--', '--help']), 1,
      'bitjws verify: ERR_BITJWS_MALFORMED: The message must be three non-empty base64url ' +
      'segments\n')
  })

  test('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(
      new URL('../../../package.json', import.meta.url), 'utf8'
    )) as { version: string }
    assert.deepEqual(await bitjws(['--version']),
      { status: 0, stdout: version + '\n', stderr: '' })
  })

  test('an unknown command is a usage error', async () => {
    assertFails(await bitjws(['frobnicate']), 2,
      'bitjws: ERR_BITJWS_CLI_USAGE: Unknown command: frobnicate\n')
    assertFails(await bitjws(['help', 'frobnicate']), 2,
      'bitjws: ERR_BITJWS_CLI_USAGE: Unknown command: frobnicate\n')
    assertFails(await bitjws(['toString']), 2,
      'bitjws: ERR_BITJWS_CLI_USAGE: Unknown command: toString\n')
  })

  test('an unknown option is a usage error that names it', async () => {
    assertFails(await bitjws(['keygen', '--bogus']), 2,
      "bitjws keygen: ERR_BITJWS_CLI_USAGE: Unknown option '--bogus'" + USAGE_HINT('keygen'))
    assertFails(await bitjws(['keygen', 'extra']), 2,
      'bitjws keygen: ERR_BITJWS_CLI_USAGE: Unexpected argument: extra' + USAGE_HINT('keygen'))
  })

  test('the key is never an option', async () => {
    assertFails(await bitjws(['address', '--key', wif]), 2,
      /^bitjws address: ERR_BITJWS_CLI_USAGE: Unknown option '--key'/)
  })
})

describe('keygen', () => {
  test('prints a new mainnet WIF and its address', async () => {
    const { status, stdout, stderr } = await bitjws(['keygen'])
    assert.equal(status, 0)
    assert.equal(stderr, '')
    const match = /^private key: (\S+)\naddress: {5}(\S+)\n$/.exec(stdout)
    assert.ok(match, stdout)
    assert.equal(decodeWif(match[1] as string).network, 'mainnet')
    assert.equal(privateKeyToAddress(match[1] as string), match[2])
  })

  test('--json --testnet prints a testnet key as JSON', async () => {
    const { status, stdout } = await bitjws(['keygen', '--json', '--testnet'])
    assert.equal(status, 0)
    const key = JSON.parse(stdout) as { wif: string, address: string, network: string }
    assert.deepEqual(Object.keys(key), ['wif', 'address', 'network'])
    assert.equal(key.network, 'testnet')
    assert.equal(decodeWif(key.wif).network, 'testnet')
    assert.equal(privateKeyToAddress(key.wif), key.address)
  })

  test('two runs give two keys', async () => {
    const first = await bitjws(['keygen', '--json'])
    const second = await bitjws(['keygen', '--json'])
    assert.notEqual(JSON.parse(first.stdout).wif, JSON.parse(second.stdout).wif)
  })
})

describe('the private key', () => {
  let directory: string
  before(async () => { directory = await temporaryDirectory() })

  test('comes from BITJWS_PRIVATE_KEY, spaces trimmed', async () => {
    const result = await bitjws(['address'], { env: { BITJWS_PRIVATE_KEY: ` ${wif}\n` } })
    assert.deepEqual(result, { status: 0, stdout: address + '\n', stderr: '' })
  })

  test('comes from --key-file holding a WIF or the JSON of keygen --json', async () => {
    const plain = await writeKeyFile(directory, 'plain.wif', wif + '\n')
    const other = generatePrivateKey()
    const json = await writeKeyFile(directory, 'key.json', JSON.stringify({ wif: other }))

    assert.deepEqual(await bitjws(['address', '--key-file', plain]),
      { status: 0, stdout: address + '\n', stderr: '' })
    assert.deepEqual(await bitjws(['address', '--key-file', json]),
      { status: 0, stdout: privateKeyToAddress(other) + '\n', stderr: '' })
  })

  test('--key-file wins over the environment', async () => {
    const other = generatePrivateKey()
    const file = await writeKeyFile(directory, 'other.wif', other)
    const result = await bitjws(['address', '--key-file', file], withKey)
    assert.equal(result.stdout, privateKeyToAddress(other) + '\n')
  })

  test('a key file others can read draws a warning', async () => {
    const file = await writeKeyFile(directory, 'open.wif', wif, 0o644)
    assert.deepEqual(await bitjws(['address', '--key-file', file]), {
      status: 0,
      stdout: address + '\n',
      stderr: `bitjws: warning: ${file} can be read by other users; run chmod 600 on it\n`
    })
  })

  test('no key at all exits with status 3', async () => {
    for (const env of [{}, { BITJWS_PRIVATE_KEY: '' }, { BITJWS_PRIVATE_KEY: ' \n' }]) {
      assertFails(await bitjws(['address'], { env }), 3,
        'bitjws address: ERR_BITJWS_CLI_KEY_MISSING: No private key: set BITJWS_PRIVATE_KEY ' +
        'or pass --key-file FILE\n')
    }
  })

  test('an unreadable key file exits with status 3', async () => {
    const missing = join(directory, 'missing.wif')
    assertFails(await bitjws(['address', '--key-file', missing]), 3,
      `bitjws address: ERR_BITJWS_CLI_KEY_UNREADABLE: Cannot read the key file ${missing}: ` +
      'ENOENT\n')
  })

  test('an invalid key exits with status 3 and is never echoed', async () => {
    const wrong = wif.slice(0, -2) + (wif.endsWith('aa') ? 'bb' : 'aa')
    assertFails(await bitjws(['address'], { env: { BITJWS_PRIVATE_KEY: wrong } }), 3,
      'bitjws address: ERR_BITJWS_KEY_INVALID: BITJWS_PRIVATE_KEY does not hold a WIF ' +
      'private key or the JSON that keygen writes\n')

    for (const [name, text] of [
      ['wrong.wif', wrong], ['nowif.json', '{"address":"1x"}'], ['broken.json', '{"wif":'],
      ['number.json', '{"wif":5}']
    ] as const) {
      const file = await writeKeyFile(directory, name, text)
      const result = await bitjws(['address', '--key-file', file])
      assertFails(result, 3, `bitjws address: ERR_BITJWS_KEY_INVALID: ${file} does not hold ` +
        'a WIF private key or the JSON that keygen writes\n')
      assert.equal(result.stderr.includes(wrong), false)
    }
  })
})

describe('sign', () => {
  let directory: string
  before(async () => { directory = await temporaryDirectory() })

  test('prints a message with aud, iat, exp and data', async () => {
    const before = Date.now()
    const { status, stdout, stderr } = await bitjws(
      ['sign', '--aud', '/echo', '--data', '{"a":[1,2]}'], withKey
    )
    assert.equal(status, 0)
    assert.equal(stderr, '')
    assert.match(stdout, /^[\w-]+\.[\w-]+\.[\w-]+\n$/)

    const { header, payload } = verify(stdout.trim(), { audience: '/echo' })
    assert.equal(header.kid, address)
    assert.deepEqual(Object.keys(payload), ['aud', 'iat', 'exp', 'data'])
    assert.deepEqual(payload.data, { a: [1, 2] })
    assert.ok(Number.isInteger(payload.iat) && (payload.iat as number) >= before)
    assert.ok(Math.abs((payload.exp as number) - ((payload.iat as number) / 1000 + 3600)) < 1)
  })

  test('without --data, the message carries no data claim', async () => {
    const { stdout } = await bitjws(['sign', '--aud', '/ping'], withKey)
    assert.equal('data' in verify(stdout.trim(), { audience: '/ping' }).payload, false)
  })

  test('each message gets a greater iat', async () => {
    const nonces: number[] = []
    for (let index = 0; index < 5; index++) {
      const { stdout } = await bitjws(['sign', '--aud', '/x'], withKey)
      nonces.push(verify(stdout.trim(), { audience: '/x' }).payload.iat as number)
    }
    assert.deepEqual([...nonces].sort((a, b) => a - b), nonces)
    assert.equal(new Set(nonces).size, 5)
  })

  test('--data reads @FILE and - (standard input)', async () => {
    const file = await writeKeyFile(directory, 'data.json', '{"from":"file"}')
    const fromFile = await bitjws(['sign', '--aud', '/x', '--data', '@' + file], withKey)
    assert.deepEqual(verify(fromFile.stdout.trim(), { audience: '/x' }).payload.data,
      { from: 'file' })

    const fromStdin = await bitjws(['sign', '--aud', '/x', '--data', '-'],
      { ...withKey, stdin: '[true]\n' })
    assert.deepEqual(verify(fromStdin.stdout.trim(), { audience: '/x' }).payload.data, [true])
  })

  test('--expires and --no-expiry set exp', async () => {
    const short = await bitjws(['sign', '--aud', '/x', '--expires', '2.5'], withKey)
    const { iat, exp } = verify(short.stdout.trim(), { audience: '/x' }).payload
    assert.ok(Math.abs((exp as number) - (iat as number) / 1000 - 2.5) < 0.01)

    const forever = await bitjws(['sign', '--aud', '/x', '--no-expiry'], withKey)
    assert.equal(verify(forever.stdout.trim(), { audience: '/x' }).payload.exp, 2 ** 31)
  })

  test('usage errors exit with status 2', async () => {
    const hint = USAGE_HINT('sign')
    for (const [args, message] of [
      [[], 'ERR_BITJWS_CLI_USAGE: --aud PATH is required'],
      [['--aud'], "ERR_BITJWS_CLI_USAGE: Option '--aud <value>' argument missing"],
      [['--aud', '/x', '--expires', '60', '--no-expiry'],
        'ERR_BITJWS_CLI_USAGE: --expires and --no-expiry exclude each other'],
      [['--aud', '/x', '--expires', '0'],
        'ERR_BITJWS_CLI_USAGE: --expires must be a positive number of seconds'],
      [['--aud', '/x', '--expires', 'soon'],
        'ERR_BITJWS_CLI_USAGE: --expires must be a positive number of seconds'],
      [['--aud', '/x', '--expires', ' '],
        'ERR_BITJWS_CLI_USAGE: --expires must be a positive number of seconds'],
      [['--aud', '/x', '--data', '{oops}'],
        'ERR_BITJWS_CLI_INPUT: Invalid JSON in the --data value'],
      [['--aud', '/x', '--data', '-'], 'ERR_BITJWS_CLI_INPUT: Invalid JSON in standard input'],
      [['--aud', '/x', '--data', '@' + join(directory, 'none.json')],
        `ERR_BITJWS_CLI_INPUT: Cannot read ${join(directory, 'none.json')}: ENOENT`]
    ] as const) {
      assertFails(await bitjws(['sign', ...args], withKey), 2, `bitjws sign: ${message}${hint}`)
    }
  })

  test('bad --data in a file names the file', async () => {
    const file = await writeKeyFile(directory, 'bad.json', 'nope')
    assertFails(await bitjws(['sign', '--aud', '/x', '--data', '@' + file], withKey), 2,
      `bitjws sign: ERR_BITJWS_CLI_INPUT: Invalid JSON in ${file}` + USAGE_HINT('sign'))
  })

  test('a usage error is reported before a missing key', async () => {
    assertFails(await bitjws(['sign']), 2,
      'bitjws sign: ERR_BITJWS_CLI_USAGE: --aud PATH is required' + USAGE_HINT('sign'))
  })
})

describe('verify', () => {
  const token = sign({ aud: '/echo', iat: 1, exp: Date.now() / 1000 + 600, data: 'hi' }, wif)

  test('prints the header and payload of a valid message as JSON', async () => {
    const { status, stdout, stderr } = await bitjws(['verify', token, '--aud', '/echo'])
    assert.equal(status, 0)
    assert.equal(stderr, '')
    assert.equal(stdout, JSON.stringify(verify(token, { audience: '/echo' }), null, 2) + '\n')
    assert.equal(JSON.parse(stdout).header.kid, address)
  })

  test('reads the message from standard input, without TOKEN or with -', async () => {
    for (const args of [['verify'], ['verify', '-']]) {
      const result = await bitjws(args, { stdin: token + '\n' })
      assert.equal(result.status, 0)
      assert.equal(JSON.parse(result.stdout).payload.data, 'hi')
    }
  })

  test('does not wait on a terminal for a message that is not coming', async () => {
    assertFails(await bitjws(['verify'], { stdinIsTerminal: true }), 2,
      'bitjws verify: ERR_BITJWS_CLI_USAGE: Give the message as TOKEN or on standard input' +
      USAGE_HINT('verify'))
  })

  test('without --aud, any audience passes', async () => {
    assert.equal((await bitjws(['verify', token])).status, 0)
  })

  test('a message for another audience exits with status 1', async () => {
    assertFails(await bitjws(['verify', token, '--aud', '/other']), 1,
      'bitjws verify: ERR_BITJWS_AUDIENCE_MISMATCH: The message was not addressed to this ' +
      'audience\n')
  })

  test('an expired message exits with status 1 unless --no-expiry', async () => {
    const expired = sign({ aud: '/echo', exp: 1 }, wif)
    assertFails(await bitjws(['verify', expired]), 1,
      'bitjws verify: ERR_BITJWS_EXPIRED: The message has expired\n')
    assert.equal((await bitjws(['verify', expired, '--no-expiry'])).status, 0)
  })

  test('a tampered message exits with status 1', async () => {
    const [header, , signature] = token.split('.')
    const payload = Buffer.from('{"aud":"/echo","exp":9999999999,"data":"bye"}')
      .toString('base64url')
    assertFails(await bitjws(['verify', `${header}.${payload}.${signature}`]), 1,
      /^bitjws verify: ERR_BITJWS_SIGNATURE_INVALID: /)
    assertFails(await bitjws(['verify', 'garbage']), 1,
      /^bitjws verify: ERR_BITJWS_MALFORMED: /)
  })

  test('testnet signers pass only with --testnet', async () => {
    const testnet = sign({ exp: 2 ** 31 }, generatePrivateKey({ network: 'testnet' }))
    assertFails(await bitjws(['verify', testnet]), 1,
      /^bitjws verify: ERR_BITJWS_NETWORK_NOT_ALLOWED: /)
    assert.equal((await bitjws(['verify', testnet, '--testnet'])).status, 0)
    assertFails(await bitjws(['verify', token, '--testnet']), 1,
      /^bitjws verify: ERR_BITJWS_NETWORK_NOT_ALLOWED: /)
  })

  test('more than one TOKEN is a usage error', async () => {
    assertFails(await bitjws(['verify', token, token]), 2,
      `bitjws verify: ERR_BITJWS_CLI_USAGE: Unexpected argument: ${token}` + USAGE_HINT('verify'))
  })

  test('an unexpected failure is not dressed up as a verification error', async () => {
    const io = {
      env: {},
      stdout: () => {},
      stderr: () => {},
      readStdin: async () => { throw new Error('stdin broke') },
      stdinIsTerminal: false
    }
    const { run } = await import('../../lib/cli/run.js')
    await assert.rejects(run(['verify'], io), { message: 'stdin broke' })
  })
})

describe('request', () => {
  const key = generatePrivateKey()
  const env = { BITJWS_PRIVATE_KEY: key }
  let example: Example

  before(async () => {
    example = await startExample()
    await example.register('carol', privateKeyToAddress(key))
  })
  after(async () => { await example.app.close() })

  test('signs, sends, verifies and prints the data; notes an unchecked signer', async () => {
    const result = await bitjws(['request', example.url + '/echo', '--data', '{"n":1}'], { env })
    const server = example.app.bitjws.address
    assert.deepEqual(result, {
      status: 0,
      stdout: '{\n  "n": 1\n}\n',
      stderr: `bitjws: note: the reply was signed by ${server}, which was not checked; ` +
        `pass --server-address ${server} to require it\n`
    })
  })

  test('with --server-address or BITJWS_SERVER_ADDRESS, no note', async () => {
    const server = example.app.bitjws.address
    assert.deepEqual(
      await bitjws(['request', example.url + '/echo', '--data', '2', '--server-address', server],
        { env }),
      { status: 0, stdout: '2\n', stderr: '' })
    assert.deepEqual(
      await bitjws(['request', example.url + '/echo', '--data', '3'],
        { env: { ...env, BITJWS_SERVER_ADDRESS: server } }),
      { status: 0, stdout: '3\n', stderr: '' })
  })

  test('signs aud as the URL path, query left out', async () => {
    const result = await bitjws(['request', example.url + '/echodetails?x=1', '--expires', '30',
      '--timeout', '5000', '--testnet', '--server-address', example.app.bitjws.address], { env })
    assert.equal(result.status, 0, result.stderr)
    const { jwsPayload } = JSON.parse(result.stdout) as {
      jwsPayload: { aud: string, iat: number, exp: number }
    }
    assert.equal(jwsPayload.aud, '/echodetails')
    assert.ok(Math.abs(jwsPayload.exp - jwsPayload.iat / 1000 - 30) < 1)
  })

  test('--method GET sends an unsigned request', async () => {
    const result = await bitjws(['request', example.url + '/coin', '--method', 'get',
      '--server-address', example.app.bitjws.address], { env })
    assert.deepEqual(result, { status: 0, stdout: '[]\n', stderr: '' })
  })

  test('a reply whose data is null prints null; one with no data claim prints nothing',
    async () => {
      const result = await bitjws(['request', example.url + '/echo',
        '--server-address', example.app.bitjws.address], { env })
      assert.deepEqual(result, { status: 0, stdout: 'null\n', stderr: '' })

      const bare = await startFakeServer()
      try {
        bare.handle((_request, response) => { replySigned(response, bare.key, undefined) })
        assert.deepEqual(await bitjws(['request', bare.url + '/ping', '--server-address',
          bare.key.address], { env }), { status: 0, stdout: '', stderr: '' })
      } finally {
        await bare.close()
      }
    })

  test('a refused request exits with status 1 and the server code', async () => {
    const stranger = { BITJWS_PRIVATE_KEY: generatePrivateKey() }
    assertFails(await bitjws(['request', example.url + '/echo'], { env: stranger }), 1,
      'bitjws request: ERR_BITJWS_CLIENT_HTTP: The server answered 401 ' +
      'FST_BITJWS_UNKNOWN_KEY: The bitjws key id belongs to no known user\n')
  })

  test('a reply from another server than the pinned one exits with status 1', async () => {
    const other = privateKeyToAddress(generatePrivateKey())
    assertFails(await bitjws(['request', example.url + '/echo', '--server-address', other],
      { env }), 1,
    `bitjws request: ERR_BITJWS_CLIENT_SERVER_MISMATCH: The reply was signed by ${
      example.app.bitjws.address}, not by the pinned ${other}\n`)
  })

  test('an unreachable server exits with status 1', async () => {
    const closed = await startExample()
    await closed.app.close()
    assertFails(await bitjws(['request', closed.url + '/echo'], { env }), 1,
      /^bitjws request: ERR_BITJWS_CLIENT_NETWORK: The connection to http:\/\/127\.0\.0\.1:\d+ fa/)
  })

  test('usage errors exit with status 2, before any key is needed', async () => {
    const hint = USAGE_HINT('request')
    const url = example.url + '/echo'
    for (const [args, message] of [
      [[], 'The URL to call is required'],
      [['/echo'], '/echo is not an http or https URL'],
      [['ftp://example.com/echo'], 'ftp://example.com/echo is not an http or https URL'],
      [[url, url], `Unexpected argument: ${url}`],
      [[url, '--method', 'HEAD'], '--method must be one of GET, POST, PUT, PATCH, DELETE'],
      [[url, '--method', 'GET', '--data', '1'],
        'A GET request carries no body, so it cannot send --data'],
      [[url, '--server-address', 'nobody'], 'nobody is not a P2PKH address'],
      [[url, '--timeout', '0'],
        '--timeout must be a whole number of milliseconds from 1 to 2147483647'],
      [[url, '--timeout', '1.5'],
        '--timeout must be a whole number of milliseconds from 1 to 2147483647'],
      [[url, '--timeout', '2147483648'],
        '--timeout must be a whole number of milliseconds from 1 to 2147483647'],
      [[url, '--expires=-1'], '--expires must be a positive number of seconds']
    ] as const) {
      assertFails(await bitjws(['request', ...args]), 2,
        `bitjws request: ERR_BITJWS_CLI_USAGE: ${message}${hint}`)
    }
  })

  test('a missing key exits with status 3', async () => {
    assertFails(await bitjws(['request', example.url + '/echo']), 3,
      /^bitjws request: ERR_BITJWS_CLI_KEY_MISSING: /)
  })
})
