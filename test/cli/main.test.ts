import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import {
  MAIN, runMain, startExample, temporaryDirectory, writeKeyFile, type Example
} from './helpers.js'

describe('the bitjws command as a child process', () => {
  let example: Example
  let directory: string

  before(async () => {
    example = await startExample()
    directory = await temporaryDirectory()
  })
  after(async () => { await example.app.close() })

  test('main.js starts with a shebang line, as npm bin entries need', () => {
    assert.match(readFileSync(MAIN, 'utf8'), /^#!\/usr\/bin\/env node\n/)
  })

  test('keygen, register, request, sign, verify', async () => {
    const keygen = await runMain(['keygen', '--json'])
    assert.equal(keygen.status, 0, keygen.stderr)
    const { wif, address } = JSON.parse(keygen.stdout) as { wif: string, address: string }
    const keyFile = await writeKeyFile(directory, 'key.json', keygen.stdout)

    const shown = await runMain(['address', '--key-file', keyFile])
    assert.deepEqual(shown, { status: 0, stdout: address + '\n', stderr: '' })

    await example.register('dave', address)
    const server = example.app.bitjws.address
    const echoed = await runMain(['request', example.url + '/echo', '--data', '{"hello":"world"}',
      '--server-address', server, '--key-file', keyFile])
    assert.deepEqual(echoed, { status: 0, stdout: '{\n  "hello": "world"\n}\n', stderr: '' })

    const coin = await runMain(['request', example.url + '/coin', '--data', '-'],
      {
        env: { BITJWS_PRIVATE_KEY: wif, BITJWS_SERVER_ADDRESS: server },
        stdin: '{"metal":"silver","mint":"Royal"}'
      })
    assert.equal(coin.status, 0, coin.stderr)
    assert.deepEqual(JSON.parse(coin.stdout),
      { id: 1, metal: 'silver', mint: 'Royal', owner: 'dave' })

    // A message from `sign` is what a server accepts, once.
    const signed = await runMain(
      ['sign', '--aud', '/echo', '--data', '[1]', '--key-file', keyFile]
    )
    assert.equal(signed.status, 0, signed.stderr)
    const token = signed.stdout.trim()
    const post = (): Promise<Response> => fetch(example.url + '/echo', {
      method: 'POST', headers: { 'content-type': 'application/jose' }, body: token
    })
    assert.equal((await post()).status, 200)
    const replayed = await post()
    assert.equal(replayed.status, 401)
    assert.equal((await replayed.json() as { code: string }).code, 'FST_BITJWS_NONCE_STALE')

    const verified = await runMain(['verify', token, '--aud', '/echo'])
    assert.equal(verified.status, 0, verified.stderr)
    const { header, payload } = JSON.parse(verified.stdout)
    assert.equal(header.kid, address)
    assert.deepEqual(payload.data, [1])

    const piped = await runMain(['verify', '-', '--aud', '/echo'], { stdin: signed.stdout })
    assert.equal(piped.stdout, verified.stdout)
  })

  test('a large reply reaches a pipe whole before the process exits', async () => {
    const keygen = await runMain(['keygen', '--json'])
    const { wif, address } = JSON.parse(keygen.stdout) as { wif: string, address: string }
    await example.register('erin', address)
    const data = 'x'.repeat(40_000)

    const result = await runMain(['request', example.url + '/echo', '--data', JSON.stringify(data),
      '--server-address', example.app.bitjws.address], { env: { BITJWS_PRIVATE_KEY: wif } })
    assert.equal(result.status, 0, result.stderr)
    assert.equal(result.stdout, JSON.stringify(data) + '\n')
  })

  test('each failure has its exit status and an error code on stderr', async () => {
    const stranger = (await runMain(['keygen', '--json'])).stdout
    const strangerKey = JSON.parse(stranger).wif as string
    const token = (await runMain(['sign', '--aud', '/echo'],
      { env: { BITJWS_PRIVATE_KEY: strangerKey } })).stdout.trim()

    const cases: Array<[string[], Parameters<typeof runMain>[1], number, RegExp]> = [
      [['verify', token, '--aud', '/other'], {}, 1,
        /^bitjws verify: ERR_BITJWS_AUDIENCE_MISMATCH: /],
      [['verify'], { stdin: '' }, 1, /^bitjws verify: ERR_BITJWS_MALFORMED: /],
      [['request', example.url + '/echo'], { env: { BITJWS_PRIVATE_KEY: strangerKey } }, 1,
        /^bitjws request: ERR_BITJWS_CLIENT_HTTP: The server answered 401 FST_BITJWS_UNKNOWN_/],
      [['request', example.url + '/echo', '--timeout', 'x'], {}, 2,
        /^bitjws request: ERR_BITJWS_CLI_USAGE: --timeout must be /],
      [['sign', '--aud', '/x', '--data', '{'], { env: { BITJWS_PRIVATE_KEY: strangerKey } }, 2,
        /^bitjws sign: ERR_BITJWS_CLI_INPUT: Invalid JSON in the --data value\n/],
      [['nope'], {}, 2, /^bitjws: ERR_BITJWS_CLI_USAGE: Unknown command: nope\n$/],
      [[], {}, 2, /^Usage: bitjws COMMAND/],
      [['address'], {}, 3, /^bitjws address: ERR_BITJWS_CLI_KEY_MISSING: /],
      [['sign', '--aud', '/x'], { env: { BITJWS_PRIVATE_KEY: 'not-a-key' } }, 3,
        /^bitjws sign: ERR_BITJWS_KEY_INVALID: BITJWS_PRIVATE_KEY does not hold/]
    ]
    for (const [args, options, status, stderr] of cases) {
      const result = await runMain(args, options)
      assert.equal(result.status, status, `${args.join(' ')}: ${result.stderr}`)
      assert.equal(result.stdout, '')
      assert.match(result.stderr, stderr)
      assert.equal(result.stderr.includes(strangerKey), false)
    }
  })

  test('--help prints to stdout and exits 0', async () => {
    const result = await runMain(['request', '--help'])
    assert.equal(result.status, 0)
    assert.match(result.stdout, /^Usage: bitjws request URL/)
    assert.equal(result.stderr, '')
  })
})
