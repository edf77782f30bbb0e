import cluster from 'node:cluster'
import { generatePrivateKey, privateKeyToAddress } from '../lib/index.js'
import { createStoreFromUrl } from './store-from-env.js'

/*
 * The example server in WORKERS processes (default 2) sharing one port. The
 * workers run example/server.js unchanged; what makes them act as one server is
 * the shared store named by BITJWS_STORE, which holds the users and the nonces
 * that refuse a replayed message whichever worker it reaches.
 */

const MEMORY_REFUSAL = 'cluster: BITJWS_STORE must name a shared store (a redis://, rediss://, ' +
  'postgres:// or postgresql:// URL). With the memory store every worker keeps its own users ' +
  'and nonces, so a message one worker refused as a replay would be accepted by another.'

if (cluster.isPrimary) {
  await startPrimary()
} else {
  await import('./server.js')
}

async function startPrimary (): Promise<void> {
  const workerCount = Number(process.env.WORKERS ?? 2)
  if (!Number.isSafeInteger(workerCount) || workerCount < 1) {
    fail('cluster: WORKERS must be a positive whole number.')
  }
  const storeUrl = process.env.BITJWS_STORE
  if (storeUrl === undefined || storeUrl === '' || storeUrl === 'memory') fail(MEMORY_REFUSAL)

  // Opened once here so that a wrong or unreachable store stops the cluster with
  // one message rather than failing every worker; for PostgreSQL it also
  // creates the tables before the workers start.
  try {
    const store = await createStoreFromUrl(storeUrl)
    await store.close?.()
  } catch (error) {
    fail(`cluster: ${describe(error)}`)
  }

  // Each worker would otherwise draw a key of its own, and replies would come
  // signed by a different address depending on which worker answered.
  let workerEnv: Record<string, string> = {}
  if (process.env.BITJWS_PRIVATE_KEY === undefined || process.env.BITJWS_PRIVATE_KEY === '') {
    const privateKey = generatePrivateKey()
    workerEnv = { BITJWS_PRIVATE_KEY: privateKey }
    console.error('cluster: BITJWS_PRIVATE_KEY is not set; the workers share a random key, ' +
      `address ${privateKeyToAddress(privateKey)}, until the cluster stops`)
  }

  const listened = new Set<number>()
  let announced = false
  let stopping = false

  cluster.on('listening', (worker, address) => {
    listened.add(worker.id)
    if (!announced && listened.size === workerCount) {
      announced = true
      const host = address.address ?? '127.0.0.1'
      console.log(`cluster: ${workerCount} workers listening on http://${host}:${address.port}`)
    }
  })

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(process.exitCode ?? 0)
      return
    }
    const how = signal === null ? `code ${code}` : signal
    // A worker that never listened has a problem a restart will not fix (a bad
    // port, a bad key); restarting it would only loop.
    if (!listened.has(worker.id)) {
      console.error(`cluster: a worker exited (${how}) before it could listen; stopping`)
      stop(1)
      return
    }
    listened.delete(worker.id)
    console.error(`cluster: worker ${worker.process.pid} exited (${how}); starting another`)
    cluster.fork(workerEnv)
  })

  function stop (exitCode: number): void {
    stopping = true
    process.exitCode = exitCode
    const workers = Object.values(cluster.workers ?? {})
    if (workers.length === 0) process.exit(exitCode)
    for (const worker of workers) worker?.process.kill('SIGTERM')
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop(0))

  for (let index = 0; index < workerCount; index++) cluster.fork(workerEnv)
}

function describe (error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message
}

function fail (message: string): never {
  console.error(message)
  process.exit(1)
}
