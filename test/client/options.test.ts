import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generatePrivateKey, SigningKey } from '../../lib/codec/index.js'
import { createClient, type ClientOptions } from '../../lib/client/index.js'

const wif = generatePrivateKey()
const valid: ClientOptions = { baseUrl: 'http://127.0.0.1:1', privateKey: wif }

function refuses (options: unknown, message: string): void {
  assert.throws(() => createClient(options as ClientOptions), { name: 'TypeError', message })
}

test('the options must be an object', () => {
  refuses(undefined, 'The client options must be an object')
  refuses(null, 'The client options must be an object')
})

test('baseUrl must be an http or https URL without query or fragment', () => {
  const message =
    'The `baseUrl` option must be an http or https URL without a query or fragment.'
  for (const baseUrl of [undefined, '', 'localhost:3000', 'ftp://example.com',
    'http://example.com/?a=1', 'http://example.com/#top', 42]) {
    refuses({ ...valid, baseUrl }, message)
  }
  assert.doesNotThrow(() => createClient({ ...valid, baseUrl: 'https://example.com/v3/' }))
})

test('privateKey must be a usable key, and is never echoed', () => {
  const message = 'The `privateKey` option must be a WIF private key, 32 bytes, or a SigningKey.'
  const wrong = wif.slice(0, -1) + (wif.endsWith('a') ? 'b' : 'a')
  for (const privateKey of [undefined, '', wrong, Buffer.alloc(32), Buffer.alloc(31, 1)]) {
    let caught: unknown
    assert.throws(() => createClient({ ...valid, privateKey: privateKey as string }), (error) => {
      caught = error
      return true
    })
    assert.ok(caught instanceof TypeError)
    assert.equal(caught.message, message)
    assert.equal((caught.cause as { code: string }).code, 'ERR_BITJWS_KEY_INVALID')
    assert.equal(String(caught.stack).includes(wrong), false)
  }
  assert.equal(createClient({ ...valid, privateKey: Buffer.alloc(32, 1) }).address,
    new SigningKey(Buffer.alloc(32, 1)).address)
})

test('serverAddress must be a P2PKH address', () => {
  for (const serverAddress of ['', '1abc', 42, wif]) {
    refuses({ ...valid, serverAddress }, 'The `serverAddress` option must be a P2PKH address.')
  }
})

test('basePath must be empty or a path not ending in a slash', () => {
  const message =
    'The `basePath` option must be empty or a path that starts but does not end with "/".'
  for (const basePath of ['/', 'v3', '/v3/', '/v3?x', '/v3#x', null]) {
    refuses({ ...valid, basePath }, message)
  }
  for (const basePath of ['', '/v3', '/a/b']) {
    assert.doesNotThrow(() => createClient({ ...valid, basePath }))
  }
})

test('timeout must be a whole number of milliseconds that setTimeout can hold', () => {
  const message =
    'The `timeout` option must be a whole number of milliseconds from 1 to 2147483647.'
  for (const timeout of [0, -1, 1.5, 2 ** 31, Infinity, NaN, '100']) {
    refuses({ ...valid, timeout }, message)
  }
  assert.doesNotThrow(() => createClient({ ...valid, timeout: 2 ** 31 - 1 }))
})

test('expireAfter must be a positive number of seconds', () => {
  const message = 'The `expireAfter` option must be a finite, positive number of seconds.'
  for (const expireAfter of [0, -5, Infinity, NaN, '60', false]) {
    refuses({ ...valid, expireAfter }, message)
  }
  assert.doesNotThrow(() => createClient({ ...valid, expireAfter: 0.5 }))
})

test('networks must be a non-empty list of known networks', () => {
  const message = 'The `networks` option must be a non-empty array of "mainnet" and "testnet".'
  for (const networks of [[], ['regtest'], 'mainnet', [null]]) {
    refuses({ ...valid, networks }, message)
  }
})

test('clockTolerance must be a non-negative number', () => {
  const message = 'The `clockTolerance` option must be a finite, non-negative number.'
  for (const clockTolerance of [-1, Infinity, '5']) {
    refuses({ ...valid, clockTolerance }, message)
  }
})

test('fetch must be a function', () => {
  refuses({ ...valid, fetch: 'fetch' }, 'The `fetch` option must be a function')
})
