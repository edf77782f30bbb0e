import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { after, before, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { generatePrivateKey, privateKeyToAddress, signSerialize } from '../../lib/index.js'
import type { ExampleServerConfig } from '../helpers/example-server.js'
import {
  DATABASE_URL, deleteRedisKeys, postgresNamespace, postgresSkip, REDIS_URL, redisNamespace,
  redisSkip
} from '../helpers/store-backends.js'
import { closedPort } from '../helpers/tcp-proxy.js'

const SERVER_SCRIPT = fileURLToPath(new URL('../helpers/example-server.js', import.meta.url))
const CLUSTER_SCRIPT = fileURLToPath(new URL('../../example/cluster.js', import.meta.url))
const COPIES = 100

interface Started {
  child: ChildProcess
  /** The first stdout line that matched, once it has appeared. */
  line: Promise<string>
  stderr: () => string
}

/**
 * Starts a Node process and watches its stdout for a line that matches `pattern`.
 * `env` adds to this process's environment; an undefined value removes a variable.
 */
function start (
  script: string, env: Record<string, string | undefined>, pattern: RegExp
): Started {
  const merged = { ...process.env, ...env }
  for (const [name, value] of Object.entries(merged)) if (value === undefined) delete merged[name]
  const child = spawn(process.execPath, [script], {
    env: merged,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const line = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const found = stdout.split('\n').find((each) => pattern.test(each))
      if (found !== undefined) resolve(found)
    })
    child.once('exit', (code) => {
      reject(new Error(`exited with ${code} before printing: ${stderr}`))
    })
  })
  // Tests that expect an early exit never await the line; its rejection is not an error then.
  line.catch(() => {})
  return { child, line, stderr: () => stderr }
}

async function stopProcess (child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const [code] = await exited
  return code as number | null
}

async function post (url: string, body: string, contentType: string): Promise<{
  status: number, contentType: string | null, json: { code?: string }
}> {
  const headers = { 'content-type': contentType }
  const response = await fetch(url, { method: 'POST', headers, body })
  const text = await response.text()
  let json = {}
  try { json = JSON.parse(text) } catch { /* a bitjws reply is not JSON */ }
  return { status: response.status, contentType: response.headers.get('content-type'), json }
}

/** A new key registered through one server, and a way to sign /echo messages for it. */
async function registerUser (
  serverUrl: string
): Promise<{ kid: string, echo: (iat: number) => string }> {
  const privateKey = generatePrivateKey()
  const kid = privateKeyToAddress(privateKey)
  const registered = await post(`${serverUrl}/user`, JSON.stringify({ username: 'alice', kid }),
    'application/json')
  assert.equal(registered.status, 200)
  return {
    kid,
    echo: (iat) => signSerialize(privateKey, { audience: '/echo', iat, data: { hello: 'world' } })
  }
}

/** Sends one message `COPIES` times at once, spread over the servers; returns the statuses. */
async function replayAtOnce (serverUrls: string[], token: string): Promise<{
  accepted: number, stale: number, other: string[]
}> {
  const replies = await Promise.all(Array.from({ length: COPIES }, (_, index) =>
    post(`${serverUrls[index % serverUrls.length]}/echo`, token, 'application/jose')))
  const accepted = replies.filter((reply) => reply.status === 200)
  const stale = replies.filter((reply) =>
    reply.status === 401 && reply.json.code === 'FST_BITJWS_NONCE_STALE')
  const other = replies
    .filter((reply) => !accepted.includes(reply) && !stale.includes(reply))
    .map((reply) => `${reply.status} ${JSON.stringify(reply.json)}`)
  for (const reply of accepted) assert.match(reply.contentType ?? '', /^application\/jose/)
  return { accepted: accepted.length, stale: stale.length, other }
}

const shared: Array<{
  name: string
  skip: string | false
  prepare: () => Promise<{ config: ExampleServerConfig, cleanup: () => Promise<void> }>
}> = [
  {
    name: 'Redis',
    skip: redisSkip,
    prepare: async () => {
      const namespace = redisNamespace()
      const config = { url: REDIS_URL as string, prefix: namespace.prefix }
      return { config, cleanup: namespace.cleanup }
    }
  },
  {
    name: 'PostgreSQL',
    skip: postgresSkip,
    prepare: async () => {
      const namespace = postgresNamespace()
      await namespace.open()
      const { usersTable, noncesTable } = namespace
      return {
        config: { url: DATABASE_URL as string, usersTable, noncesTable },
        cleanup: namespace.cleanup
      }
    }
  }
]

for (const setup of shared) {
  describe(`two server processes sharing ${setup.name}`, { skip: setup.skip }, () => {
    let cleanup: () => Promise<void>
    let servers: Started[] = []
    let urls: string[] = []

    before(async () => {
      const prepared = await setup.prepare()
      cleanup = prepared.cleanup
      const env = { BITJWS_TEST_STORE: JSON.stringify(prepared.config) }
      servers = [start(SERVER_SCRIPT, env, /^\d+$/), start(SERVER_SCRIPT, env, /^\d+$/)]
      urls = await Promise.all(servers.map(async (server) =>
        `http://127.0.0.1:${await server.line}`))
    })

    after(async () => {
      await Promise.all(servers.map((server) => stopProcess(server.child)))
      await cleanup()
    })

    test('a user registered through one process signs in at the other', async () => {
      const user = await registerUser(urls[0] as string)
      const reply = await post(`${urls[1]}/echo`, user.echo(Date.now()), 'application/jose')
      assert.equal(reply.status, 200)
    })

    test(`one message sent ${COPIES} times across both: exactly one 200, the rest 401`,
      async () => {
        const user = await registerUser(urls[1] as string)
        const result = await replayAtOnce(urls, user.echo(Date.now()))
        assert.deepEqual(result, { accepted: 1, stale: COPIES - 1, other: [] })
      })

    test('a nonce accepted by one process is refused by the other', async () => {
      const user = await registerUser(urls[0] as string)
      const nonce = Date.now()
      const first = await post(`${urls[0]}/echo`, user.echo(nonce), 'application/jose')
      assert.equal(first.status, 200)
      const older = await post(`${urls[1]}/echo`, user.echo(nonce - 1), 'application/jose')
      assert.equal(older.status, 401)
      assert.equal(older.json.code, 'FST_BITJWS_NONCE_STALE')
      const newer = await post(`${urls[1]}/echo`, user.echo(nonce + 1), 'application/jose')
      assert.equal(newer.status, 200)
    })
  })
}

describe('example/cluster.ts', () => {
  for (const value of [undefined, 'memory']) {
    test(`refuses to start with BITJWS_STORE=${String(value)}`, async () => {
      const started = start(CLUSTER_SCRIPT, { WORKERS: '2', BITJWS_STORE: value }, /listening/)
      const [code] = await once(started.child, 'exit')
      assert.equal(code, 1)
      assert.match(started.stderr(), /BITJWS_STORE must name a shared store/)
      assert.match(started.stderr(), /would be accepted by another/)
    })
  }

  test('refuses a WORKERS that is not a positive whole number', async () => {
    const started = start(CLUSTER_SCRIPT, { WORKERS: 'two', BITJWS_STORE: 'redis://x' }, /x/)
    const [code] = await once(started.child, 'exit')
    assert.equal(code, 1)
    assert.match(started.stderr(), /WORKERS must be a positive whole number/)
  })

  test('workers on one port share Redis and a key: a message is accepted once',
    { skip: redisSkip }, async () => {
      const port = await closedPort()
      const env = {
        WORKERS: '2',
        PORT: String(port),
        HOST: '127.0.0.1',
        BITJWS_STORE: REDIS_URL as string,
        LOG_LEVEL: 'warn'
      }
      const cluster = start(CLUSTER_SCRIPT, env, /workers listening/)
      let kid: string | undefined
      try {
        assert.match(await cluster.line, /^cluster: 2 workers listening on http:\/\/127\.0\.0\.1:/)
        const url = `http://127.0.0.1:${port}`
        const user = await registerUser(url)
        kid = user.kid
        const result = await replayAtOnce([url], user.echo(Date.now()))
        assert.deepEqual(result, { accepted: 1, stale: COPIES - 1, other: [] })

        // Parallel requests open several connections, which the primary deals out in turn.
        const replies = await Promise.all(Array.from({ length: 20 }, async () =>
          await (await fetch(`${url}/coin`)).text()))
        const signers = new Set(replies.map((reply) =>
          (JSON.parse(Buffer.from(reply.split('.')[0] as string, 'base64url').toString()) as {
            kid: string
          }).kid))
        assert.equal(signers.size, 1, 'the workers sign replies with different keys')
      } finally {
        assert.equal(await stopProcess(cluster.child), 0)
        // The example uses the default prefix; only this test's key is removed from it.
        if (kid !== undefined) await deleteRedisKeys(`bitjws:user:${kid}`)
        if (kid !== undefined) await deleteRedisKeys(`bitjws:nonce:${kid}`)
      }
    })
})
