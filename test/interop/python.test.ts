import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { buildExampleApp } from '../../example/app.js'
import { MemoryStore, SigningKey, generatePrivateKey, signSerialize } from '../../lib/index.js'

// The Python library cannot be installed here (no PyPI), so its
// validate_deserialize is rewritten on Python's standard library; it first
// proves itself on the messages the Python library published.
const script = fileURLToPath(new URL('../../../test/interop/validate_deserialize.py', import.meta.url))
const fixtures = fileURLToPath(new URL('../../../test/fixtures/bitjws-published.json', import.meta.url))
const python = spawnSync('python3', ['--version'], { encoding: 'utf8' })
const skip = python.status === 0 ? false : 'python3 is not installed: Python interop tests skipped'

interface Check { jws: string, aud: string | null, checkExpiration?: boolean }
interface Outcome { ok: boolean, kid?: string, payload?: Record<string, unknown>, error?: string }

function validateInPython (checks: Check[]): Outcome[] {
  const result = spawnSync('python3', [script], {
    input: checks.map((check) => JSON.stringify(check)).join('\n') + '\n', encoding: 'utf8'
  })
  assert.equal(result.status, 0, result.stderr)
  return result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Outcome)
}

describe('the Python peers\' validate_deserialize', { skip }, () => {
  const store = new MemoryStore()
  let app: FastifyInstance
  let url: string

  before(async () => {
    app = await buildExampleApp({ store })
    url = await app.listen({ port: 0, host: '127.0.0.1' })
  })
  after(async () => { await app.close() })

  test('the port accepts the Python library\'s own messages, and refuses a tampered one', () => {
    const vectors = (JSON.parse(readFileSync(fixtures, 'utf8')) as Array<Check & { kid: string }>)
      .filter((vector) => !vector.jws.startsWith('{'))
    const outcomes = validateInPython(
      vectors.map((vector) => ({ jws: vector.jws, aud: vector.aud, checkExpiration: false })))
    assert.deepEqual(outcomes.map((outcome) => outcome.kid), vectors.map((vector) => vector.kid))

    const [header, payload, signature] = (vectors[0] as Check).jws.split('.') as string[]
    const tampered = `${header}.${payload}.${(signature as string).replace(/^../, 'SE')}`
    const [refused] = validateInPython([{ jws: tampered, aud: null, checkExpiration: false }])
    assert.equal(refused?.ok, false)
  })

  test('accepts the replies of reply.bitjws for /response, from the server\'s key', async () => {
    const key = new SigningKey(generatePrivateKey())
    await store.registerUser({ kid: key.address, username: 'py' })
    const echo = await fetch(url + '/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/jose' },
      body: signSerialize(key, { audience: '/echo', iat: Date.now(), data: { naïve: ['ü', 1.5] } })
    })
    const coins = await fetch(url + '/coin')
    const replies = [await echo.text(), await coins.text()]

    const outcomes = validateInPython(replies.map((jws) => ({ jws, aud: '/response' })))
    for (const outcome of outcomes) {
      assert.equal(outcome.ok, true, outcome.error)
      assert.equal(outcome.kid, app.bitjws.address)
    }
    assert.deepEqual(outcomes[0]?.payload?.data, { naïve: ['ü', 1.5] })
    assert.deepEqual(outcomes[1]?.payload?.data, [])

    const [wrongAudience] = validateInPython([{ jws: replies[0] as string, aud: '/echo' }])
    assert.equal(wrongAudience?.ok, false)
  })

  test('accepts requests signed by the codec, as a Python server would', () => {
    const compressed = new SigningKey(generatePrivateKey())
    const uncompressed = new SigningKey(generatePrivateKey({ compressed: false }))
    const long = 'x'.repeat(70_000)
    const outcomes = validateInPython([compressed, uncompressed].flatMap((key) => [
      { jws: signSerialize(key, { audience: '/echo', data: 1 }), aud: '/echo' },
      { jws: signSerialize(key, { audience: '/echo', data: long }), aud: '/echo' }
    ]))
    assert.deepEqual(outcomes.map((outcome) => outcome.ok), [true, true, true, true])
    assert.deepEqual(outcomes.map((outcome) => outcome.kid),
      [compressed.address, compressed.address, uncompressed.address, uncompressed.address])
  })
})
