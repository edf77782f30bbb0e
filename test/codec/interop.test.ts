import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import bitcoinMessage from 'bitcoinjs-message'
import {
  SigningKey, encodeWif, messageDigest, publicKeyOf, recoverPublicKey, sign, verify,
  type Network
} from '../../lib/index.js'
import {
  NEVER, jsonSegment, segmentsOf, signatureBytes, signatureSegment
} from '../helpers/codec.js'

// bitcoinjs-message is an independent implementation of Bitcoin message
// signing (its own hashing, CompactSize and secp256k1 binding): agreement in
// both directions shows that our bytes are what other Bitcoin software means.

interface Signer {
  name: string
  privateKey: Buffer
  compressed: boolean
  network: Network
  key: SigningKey
}

const signers: Signer[] = [
  [true, 'mainnet'], [false, 'mainnet'], [true, 'testnet'], [false, 'testnet']
].map(([compressed, network]) => {
  const privateKey = randomBytes(32)
  const options = { compressed: compressed as boolean, network: network as Network }
  return {
    name: `${network}, ${compressed ? 'compressed' : 'uncompressed'}`,
    privateKey,
    ...options,
    key: new SigningKey(encodeWif(privateKey, options))
  }
})

const messages = [
  '',
  'hello',
  'x'.repeat(252),
  'y'.repeat(253),
  'z'.repeat(65_536)
]

for (const signer of signers) {
  test(`our signatures pass bitcoinjs-message's verify: ${signer.name}`, () => {
    for (const text of messages) {
      const signature = signer.key.signMessage(text)
      assert.ok(bitcoinMessage.verify(text, signer.key.address, signature), `${text.length} bytes`)
      assert.ok(!bitcoinMessage.verify(text + '.', signer.key.address, signature))
    }

    const token = sign({ aud: '/x', exp: NEVER, data: 'é'.repeat(200) }, signer.key)
    const [header, payload, signature] = segmentsOf(token)
    assert.ok(bitcoinMessage.verify(
      `${header}.${payload}`, signer.key.address, signatureBytes(signature)
    ))
  })

  test(`bitcoinjs-message's signatures pass our verify: ${signer.name}`, () => {
    const networks = [signer.network]
    for (const data of ['short', 'd'.repeat(300), 'e'.repeat(70_000)]) {
      const claims = { aud: '/x', exp: NEVER, data }
      const signingInput = `${signer.key.protectedHeader}.${jsonSegment(claims)}`
      const theirs = bitcoinMessage.sign(signingInput, signer.privateKey, signer.compressed)
      const token = `${signingInput}.${signatureSegment(theirs)}`

      const { header, payload } = verify(token, { audience: '/x', networks })
      assert.equal(header.kid, signer.key.address)
      assert.equal(payload.data, data)
    }
  })

  test(`bitcoinjs-message with extra nonce entropy still verifies here: ${signer.name}`, () => {
    const signingInput = `${signer.key.protectedHeader}.${jsonSegment({ aud: null, exp: NEVER })}`
    const theirs = bitcoinMessage.sign(signingInput, signer.privateKey, signer.compressed, {
      extraEntropy: randomBytes(32)
    })

    assert.deepEqual(
      recoverPublicKey(messageDigest(signingInput), theirs),
      publicKeyOf(signer.privateKey, signer.compressed)
    )
    assert.ok(verify(`${signingInput}.${signatureSegment(theirs)}`, {
      audience: null, networks: [signer.network]
    }))
  })
}

test('both sign deterministically (RFC 6979) to the same bytes', () => {
  for (const signer of signers) {
    for (const text of messages) {
      assert.deepEqual(
        signer.key.signMessage(text),
        bitcoinMessage.sign(text, signer.privateKey, signer.compressed),
        `${signer.name}, ${text.length} bytes`
      )
    }
  }
})
