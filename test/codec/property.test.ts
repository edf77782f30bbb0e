import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import {
  BitjwsError, SigningKey, encodeWif, sign, verify, type BitjwsClaims
} from '../../lib/index.js'
import { NEVER, README_KEY } from '../helpers/codec.js'

const RUNS = { numRuns: 200 }
const options = { audience: '/echo', networks: ['mainnet', 'testnet'] } as const

const keys = [
  new SigningKey(README_KEY),
  new SigningKey(encodeWif(Buffer.alloc(32, 7), { compressed: false, network: 'testnet' }))
]
const originals = keys.map((key, index) => sign({ aud: '/echo', exp: NEVER, iat: index }, key))

// Characters that matter to the parser: both base64 alphabets, the separator,
// padding, whitespace, and text outside ASCII.
const character = fc.oneof(
  fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
  fc.constantFrom('.', '=', '+', '/', ' ', '\n', '\0', 'é', '\u2028', '😀')
)

type Mutation = (token: string) => string

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), character).map(([at, char]): Mutation => (token) => {
    const index = at % token.length
    return token.slice(0, index) + char + token.slice(index + 1)
  }),
  fc.tuple(fc.nat(), character).map(([at, char]): Mutation => (token) => {
    const index = at % (token.length + 1)
    return token.slice(0, index) + char + token.slice(index)
  }),
  fc.nat().map((at): Mutation => (token) => {
    const index = at % token.length
    return token.slice(0, index) + token.slice(index + 1)
  }),
  fc.tuple(fc.nat(2), fc.nat(2)).map(([first, second]): Mutation => (token) => {
    const segments = token.split('.')
    ;[segments[first], segments[second]] = [segments[second] as string, segments[first] as string]
    return segments.join('.')
  }),
  fc.nat().map((at): Mutation => (token) => token.slice(0, at % token.length)),
  fc.nat(2).map((which): Mutation => (token) => {
    // A segment from the other key's token: valid on its own, foreign here.
    const own = token.split('.')
    const other = originals.find((original) => original !== token) as string
    own[which] = other.split('.')[which] as string
    return own.join('.')
  })
)

function outcome (token: string): 'valid' | BitjwsError {
  try {
    verify(token, options)
    return 'valid'
  } catch (error) {
    if (error instanceof BitjwsError) return error
    throw error
  }
}

test('the unmutated tokens verify', () => {
  for (const original of originals) assert.equal(outcome(original), 'valid')
})

test('mutations never verify unless they rebuild a valid token; errors are BitjwsError', () => {
  fc.assert(fc.property(
    fc.constantFrom(...originals), fc.array(mutation, { minLength: 1, maxLength: 3 }),
    (original, mutations) => {
      const mutated = mutations.reduce((token, mutate) => mutate(token), original)
      const result = outcome(mutated)
      // Splicing every segment of the other token rebuilds that token, which is valid.
      if (originals.includes(mutated)) assert.equal(result, 'valid')
      else assert.notEqual(result, 'valid', `${mutated} verified`)
    }
  ), RUNS)
})

test('arbitrary strings fail only with BitjwsError', () => {
  const segment = fc.string({ unit: fc.constantFrom(...'AQgw-_Zz09'), maxLength: 40 })
  fc.assert(fc.property(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.tuple(segment, segment, segment).map((parts) => parts.join('.'))
    ),
    (text) => assert.notEqual(outcome(text), 'valid')
  ), RUNS)
})

test('any JSON claims survive a round trip unchanged', () => {
  fc.assert(fc.property(
    fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }),
    fc.constantFrom(...keys),
    (extra, key) => {
      const claims = { ...extra, aud: '/echo', exp: NEVER } as BitjwsClaims
      const { header, payload } = verify(sign(claims, key), options)

      assert.equal(header.kid, key.address)
      assert.deepEqual(payload, JSON.parse(JSON.stringify(claims)))
    }
  ), RUNS)
})
