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
