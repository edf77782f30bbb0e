import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../../../', import.meta.url))
let consumer: string

// A scratch project that depends on the package by name, as a user's would.
before(async () => {
  consumer = await mkdtemp(join(tmpdir(), 'bitjws-consumer-'))
  await mkdir(join(consumer, 'node_modules'))
  await symlink(root, join(consumer, 'node_modules', 'fastify-bitjws'), 'dir')
  await symlink(join(root, 'node_modules', 'fastify'), join(consumer, 'node_modules', 'fastify'))
  await writeFile(join(consumer, 'package.json'), '{"name":"consumer","private":true}')
  await writeFile(join(consumer, 'use.cjs'), `
    const bitjws = require('fastify-bitjws')
    const Fastify = require('fastify')
    const app = Fastify()
    app.register(bitjws).ready().then(() => {
      const key = bitjws.generatePrivateKey()
      const token = bitjws.sign({ aud: '/x', exp: Date.now() / 1000 + 9 }, key)
      console.log(JSON.stringify({
        plugin: typeof bitjws.default, kid: bitjws.verify(token, { audience: '/x' }).header.kid,
        address: bitjws.privateKeyToAddress(key), server: app.bitjws.address.length > 25
      }))
      return app.close()
    })
  `)
  await writeFile(join(consumer, 'use.mjs'), `
    import fastifyBitjws, { fastifyBitjws as named, generatePrivateKey, privateKeyToAddress, sign, verify }
      from 'fastify-bitjws'
    import Fastify from 'fastify'
    const app = Fastify()
    await app.register(fastifyBitjws).ready()
    const key = generatePrivateKey()
    const token = sign({ aud: '/x', exp: Date.now() / 1000 + 9 }, key)
    console.log(JSON.stringify({
      plugin: typeof fastifyBitjws, same: fastifyBitjws === named,
      kid: verify(token, { audience: '/x' }).header.kid, address: privateKeyToAddress(key),
      server: app.bitjws.address.length > 25
    }))
    await app.close()
  `)
})

after(async () => { await rm(consumer, { recursive: true, force: true }) })

test('require() of the package registers the plugin and runs the codec', async () => {
  const { stdout, stderr } = await run(process.execPath, ['use.cjs'], { cwd: consumer })
  const result = JSON.parse(stdout)
  assert.equal(result.plugin, 'function')
  assert.equal(result.kid, result.address)
  assert.equal(result.server, true)
  assert.equal(stderr, '')
})

test('import of the package gives the plugin as default and named export', async () => {
  const { stdout, stderr } = await run(process.execPath, ['use.mjs'], { cwd: consumer })
  const result = JSON.parse(stdout)
  assert.deepEqual([result.plugin, result.same, result.server], ['function', true, true])
  assert.equal(result.kid, result.address)
  assert.equal(stderr, '')
})
