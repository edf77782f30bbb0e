import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'
import { inspect } from 'node:util'
import bs58check from 'bs58check'
import {
  SigningKey, decodeAddress, decodePrivateKey, decodeWif, encodeWif, generatePrivateKey,
  hash160, isAddress, privateKeyToAddress, publicKeyOf, publicKeyToAddress, type Network
} from '../../lib/index.js'
import { CURVE_ORDER, README_KEY, throwsBitjws } from '../helpers/codec.js'

const README_WIF = 'KwFfNUhSDaASSAwtG7ssQM1uVX8RgX5GHWnnLfhfiQDigjioWXHH'
const NOT_WIF = 'The private key is not valid WIF'
const OUT_OF_RANGE = 'The private key must be 32 bytes within the curve order'
const NOT_ADDRESS = 'The address is not a valid P2PKH address'

// Base58Check written out from its definition, so that the expected WIF and
// addresses below do not come from the bs58check package the codec uses.
function base58check (body: Buffer): string {
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
  const sha256 = (data: Buffer) => createHash('sha256').update(data).digest()
  const bytes = Buffer.concat([body, sha256(sha256(body)).subarray(0, 4)])
  let value = BigInt('0x' + bytes.toString('hex'))
  let text = ''
  while (value > 0n) {
    text = alphabet[Number(value % 58n)] + text
    value /= 58n
  }
  for (const byte of bytes) {
    if (byte !== 0) break
    text = '1' + text
  }
  return text
}

function withVersion (version: number, ...parts: Buffer[]): Buffer {
  return Buffer.concat([Buffer.from([version]), ...parts])
}

const COMPRESSED = Buffer.from([1])

/** Base58Check by the codec's own library: for bodies whose checksum must be right. */
function encoded (version: number, ...parts: Buffer[]): string {
  return bs58check.encode(withVersion(version, ...parts))
}

test('WIF of the README key, computed from the definition, is the hard-coded value', () => {
  assert.equal(base58check(withVersion(0x80, README_KEY, Buffer.from([1]))), README_WIF)
  assert.equal(encodeWif(README_KEY), README_WIF)
  assert.deepEqual(decodeWif(README_WIF), {
    privateKey: Uint8Array.from(README_KEY), compressed: true, network: 'mainnet'
  })
})

test('addresses match an independent hash160 and Base58Check', () => {
  const ripemd = (data: Uint8Array) => createHash('ripemd160')
    .update(createHash('sha256').update(data).digest()).digest()
  for (const compressed of [true, false]) {
    const publicKey = publicKeyOf(README_KEY, compressed)
    assert.equal(publicKey.length, compressed ? 33 : 65)
    assert.deepEqual(hash160(publicKey), ripemd(publicKey))
    assert.equal(publicKeyToAddress(publicKey), base58check(withVersion(0x00, ripemd(publicKey))))
    assert.equal(
      publicKeyToAddress(publicKey, 'testnet'), base58check(withVersion(0x6f, ripemd(publicKey)))
    )
  }
  assert.equal(
    hash160(Buffer.alloc(0)).toString('hex'), 'b472a266d0bd89c13706a4132ccfb16f7c3b9fcb'
  )
})

for (const network of ['mainnet', 'testnet'] as const) {
  for (const compressed of [true, false]) {
    test(`generatePrivateKey: ${network}, ${compressed ? 'compressed' : 'uncompressed'}`, () => {
      const wif = generatePrivateKey({ network, compressed })
      const decoded = decodeWif(wif)

      assert.equal(decoded.network, network)
      assert.equal(decoded.compressed, compressed)
      assert.equal(encodeWif(decoded.privateKey, { network, compressed }), wif)
      assert.match(wif, network === 'mainnet' ? (compressed ? /^[KL]/ : /^5/) : /^[c9]/)
      const address = privateKeyToAddress(wif)
      assert.equal(decodeAddress(address).network, network)
      assert.match(address, network === 'mainnet' ? /^1/ : /^[mn]/)
    })
  }
}

test('generatePrivateKey defaults to compressed mainnet and never repeats', () => {
  const first = decodeWif(generatePrivateKey())
  assert.equal(first.network, 'mainnet')
  assert.equal(first.compressed, true)
  assert.notDeepEqual(first.privateKey, decodeWif(generatePrivateKey()).privateKey)
})

test('decodePrivateKey takes raw bytes as compressed mainnet, copied', () => {
  const raw = Buffer.from(README_KEY)
  const decoded = decodePrivateKey(raw)
  raw.fill(2)

  assert.deepEqual(decoded, {
    privateKey: Uint8Array.from(README_KEY), compressed: true, network: 'mainnet'
  })
  assert.equal(privateKeyToAddress(README_KEY), privateKeyToAddress(README_WIF))
})

const badWifs: Array<[string, string, string]> = [
  ['bad checksum', README_WIF.slice(0, -1) + (README_WIF.endsWith('H') ? 'J' : 'H'), NOT_WIF],
  ['not base58', README_WIF.slice(0, -1) + '0', NOT_WIF],
  ['empty', '', NOT_WIF],
  ['wrong version', encoded(0x81, README_KEY, COMPRESSED), NOT_WIF],
  ['address version', encoded(0x00, README_KEY), NOT_WIF],
  ['31-byte key', encoded(0x80, README_KEY.subarray(1)), NOT_WIF],
  ['35-byte body', encoded(0x80, README_KEY, Buffer.from([1, 1])), NOT_WIF],
  ['compression flag 2', encoded(0x80, README_KEY, Buffer.from([2])), NOT_WIF],
  ['key zero', encoded(0x80, Buffer.alloc(32), COMPRESSED), OUT_OF_RANGE],
  ['key n', encoded(0x80, orderPlus(0n)), OUT_OF_RANGE],
  ['key n + 1', encoded(0xef, orderPlus(1n), COMPRESSED), OUT_OF_RANGE],
  ['key 2^256 - 1', encoded(0x80, Buffer.alloc(32, 0xff)), OUT_OF_RANGE]
]

function orderPlus (delta: bigint): Buffer {
  return Buffer.from((CURVE_ORDER + delta).toString(16), 'hex')
}

for (const [name, wif, message] of badWifs) {
  test(`decodeWif refuses ${name}`, () => {
    throwsBitjws(() => decodeWif(wif), 'ERR_BITJWS_KEY_INVALID', message)
    throwsBitjws(() => new SigningKey(wif), 'ERR_BITJWS_KEY_INVALID', message)
  })
}

test('the largest key below n is accepted, n - 1', () => {
  const wif = encoded(0x80, orderPlus(-1n), Buffer.from([1]))
  assert.deepEqual(decodeWif(wif).privateKey, Uint8Array.from(orderPlus(-1n)))
})

test('raw private keys must be 32 bytes within the curve order', () => {
  const cases: unknown[] = [
    Buffer.alloc(31, 1), Buffer.alloc(33, 1), Buffer.alloc(32), orderPlus(0n), [1, 2, 3], 42
  ]
  for (const input of cases) {
    const bytes = input as Uint8Array
    throwsBitjws(() => decodePrivateKey(bytes), 'ERR_BITJWS_KEY_INVALID', OUT_OF_RANGE)
    throwsBitjws(() => encodeWif(bytes), 'ERR_BITJWS_KEY_INVALID', OUT_OF_RANGE)
    throwsBitjws(() => publicKeyOf(bytes), 'ERR_BITJWS_KEY_INVALID', OUT_OF_RANGE)
  }
  throwsBitjws(() => decodeWif(42 as unknown as string), 'ERR_BITJWS_KEY_INVALID', NOT_WIF)
})

const readmeAddress = privateKeyToAddress(README_KEY)
const readmeHash = hash160(publicKeyOf(README_KEY))

const badAddresses: Array<[string, unknown]> = [
  ['bad checksum', readmeAddress.slice(0, -1) + (readmeAddress.endsWith('D') ? 'E' : 'D')],
  ['not base58', readmeAddress.replace('R', '0')],
  ['P2SH version 0x05', encoded(0x05, readmeHash)],
  ['WIF version 0x80', encoded(0x80, readmeHash)],
  ['19-byte hash', encoded(0x00, readmeHash.subarray(1))],
  ['21-byte hash', encoded(0x00, readmeHash, Buffer.from([0]))],
  ['a WIF', README_WIF],
  ['longer than 64 characters', '1'.repeat(65)],
  ['empty', ''],
  ['not a string', 12345]
]

for (const [name, address] of badAddresses) {
  test(`decodeAddress refuses ${name}`, () => {
    throwsBitjws(() => decodeAddress(address as string), 'ERR_BITJWS_ADDRESS_INVALID', NOT_ADDRESS)
    assert.equal(isAddress(address), false)
  })
}

test('decodeAddress returns the network and the key hash', () => {
  const testnet = publicKeyToAddress(publicKeyOf(README_KEY), 'testnet')

  assert.deepEqual(decodeAddress(readmeAddress), { network: 'mainnet', hash160: readmeHash })
  assert.deepEqual(decodeAddress(testnet), { network: 'testnet', hash160: readmeHash })
})

test('isAddress filters by network', () => {
  const testnet = publicKeyToAddress(publicKeyOf(README_KEY), 'testnet')
  const cases: Array<[string, readonly Network[] | undefined, boolean]> = [
    [readmeAddress, undefined, true],
    [readmeAddress, ['mainnet'], true],
    [readmeAddress, ['testnet'], false],
    [readmeAddress, [], false],
    [testnet, undefined, true],
    [testnet, ['mainnet'], false],
    [testnet, ['mainnet', 'testnet'], true]
  ]
  for (const [address, networks, expected] of cases) {
    assert.equal(isAddress(address, networks), expected, `${address} in ${String(networks)}`)
  }
})

test('a SigningKey never shows its private key', () => {
  const key = new SigningKey(README_WIF)
  const hex = README_KEY.toString('hex')

  assert.deepEqual(JSON.parse(JSON.stringify(key)), { address: readmeAddress, network: 'mainnet' })
  for (const text of [JSON.stringify(key), inspect(key, { depth: 5, showHidden: true })]) {
    assert.ok(!text.includes(hex) && !text.includes(README_WIF), text)
  }
  assert.deepEqual(
    Object.keys(key).sort(), ['address', 'compressed', 'network', 'protectedHeader']
  )
})

test('a SigningKey carries its address, network and protected header', () => {
  const key = new SigningKey(encodeWif(README_KEY, { network: 'testnet', compressed: false }))
  const header = JSON.parse(Buffer.from(key.protectedHeader, 'base64url').toString())

  assert.equal(key.network, 'testnet')
  assert.equal(key.compressed, false)
  assert.equal(key.address, publicKeyToAddress(publicKeyOf(README_KEY, false), 'testnet'))
  assert.deepEqual(header, { alg: 'CUSTOM-BITCOIN-SIGN', kid: key.address, typ: 'JWT' })
})
