import assert from 'node:assert/strict'
import { copyFile, mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { pathToFileURL } from 'node:url'
import { backend } from '../../lib/index.js'
import { secp256k1 } from '../../lib/codec/native.js'

test('the codec runs on the native libsecp256k1 addon', async () => {
  assert.equal(backend.name, 'native')
  assert.match(backend.path, /\.node$/)
  assert.ok((await stat(backend.path)).isFile())
  assert.ok(Object.isFrozen(backend))
  assert.equal(secp256k1.privateKeyVerify(Buffer.alloc(32, 1)), true)
})

test('the calls on the addon turn its failures into exceptions', () => {
  const digest = Buffer.alloc(32, 7)
  const { signature, recid } = secp256k1.ecdsaSign(digest, Buffer.alloc(32, 1))
  const publicKey = secp256k1.publicKeyCreate(Buffer.alloc(32, 1), false)
  assert.equal(publicKey.length, 65)
  assert.deepEqual(secp256k1.ecdsaRecover(signature, recid, digest, false), publicKey)

  // libsecp256k1 would abort the process on these rather than report them.
  for (const bad of [-1, 4, 1.5, Number.NaN]) {
    assert.throws(() => secp256k1.ecdsaRecover(signature, bad, digest), {
      name: 'RangeError', message: 'The recovery id must be 0, 1, 2 or 3'
    })
  }
  assert.throws(() => secp256k1.ecdsaRecover(Buffer.alloc(64), 0, digest), {
    message: 'libsecp256k1 key recovery failed (status 2)'
  })
  assert.throws(() => secp256k1.publicKeyCreate(Buffer.alloc(32)), {
    message: 'libsecp256k1 public key creation failed (status 1)'
  })
  assert.throws(() => secp256k1.ecdsaSign(digest, Buffer.alloc(32)), {
    message: 'libsecp256k1 signing failed (status 1)'
  })
  // Lengths are the addon's own check: a short buffer is refused, never read past.
  assert.throws(() => secp256k1.ecdsaRecover(signature.subarray(1), recid, digest), RangeError)
  assert.equal(secp256k1.privateKeyVerify(Buffer.alloc(32)), false)
})

test('ecdsaRecover writes into a given output only when its length fits the serialization', () => {
  const digest = Buffer.alloc(32, 9)
  const { signature, recid } = secp256k1.ecdsaSign(digest, Buffer.alloc(32, 2))
  for (const compressed of [true, false]) {
    const length = compressed ? 33 : 65
    const output = new Uint8Array(length)
    assert.equal(secp256k1.ecdsaRecover(signature, recid, digest, compressed, output), output)
    assert.deepEqual(output, secp256k1.publicKeyCreate(Buffer.alloc(32, 2), compressed))

    // A wrong length would make the addon pick the other serialization.
    const wrong = new Uint8Array(compressed ? 65 : 33)
    assert.throws(() => secp256k1.ecdsaRecover(signature, recid, digest, compressed, wrong), {
      name: 'RangeError', message: `The output must be ${length} bytes`
    })
    assert.ok(wrong.every((byte) => byte === 0))
  }
})

test('without the addon the loader fails loudly with ERR_BITJWS_NATIVE_UNAVAILABLE', async (t) => {
  // The real module has already loaded the addon in this process, so the
  // failure is provoked on a copy of the compiled loader placed where no
  // secp256k1 package can be resolved: a broken install, as a user would see it.
  const directory = await mkdtemp(join(tmpdir(), 'bitjws-native-'))
  t.after(() => rm(directory, { recursive: true, force: true }))
  const compiled = new URL('../../lib/codec/', import.meta.url)
  for (const name of ['native.js', 'errors.js']) {
    await copyFile(new URL(name, compiled), join(directory, name))
  }
  await writeFile(join(directory, 'package.json'), '{"type":"module"}')

  const copy = pathToFileURL(join(directory, 'native.js')).href
  await assert.rejects(import(copy), (error: unknown) => {
    const { name, code, message, cause } = error as Error & { code: string }
    assert.equal(name, 'BitjwsError')
    assert.equal(code, 'ERR_BITJWS_NATIVE_UNAVAILABLE')
    assert.equal(
      message,
      'The native libsecp256k1 binding could not be loaded. Reinstall with ' +
        '`npm rebuild secp256k1` (a C++ toolchain is needed where no prebuild exists ' +
        'for this platform); fastify-bitjws does not fall back to pure JavaScript.'
    )
    assert.equal((cause as { code?: string }).code, 'MODULE_NOT_FOUND')
    return true
  })
})
