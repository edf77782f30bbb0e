import { randomBytes } from 'node:crypto'
import { cpus } from 'node:os'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { Redis } from 'ioredis'
import pg from 'pg'
import { MemoryStore } from '../lib/stores/memory.js'
import { createPostgresStore } from '../lib/stores/postgres.js'
import { createRedisStore } from '../lib/stores/redis.js'
import type { BitjwsStore } from '../lib/stores/store.js'
import { benchRecords, dropPostgresTables, removeRedisRecords } from './records.js'

export interface StoreBenchOptions {
  /** Seconds of measuring per shared store, shared with its memory baseline. Default 2. */
  seconds?: number
  /** A Redis server to measure; left out when not given. */
  redisUrl?: string
  /** A PostgreSQL database to measure; left out when not given. */
  databaseUrl?: string
}

export interface StoreFigures {
  store: 'memory' | 'redis' | 'postgres'
  /** Why the store was not measured, when it was not. */
  skipped?: string
  /** Mean microseconds per accepted advanceNonce, one call at a time. */
  meanMicroseconds?: number
  /** Per-call percentiles, for the shared stores (a timer per call would swamp memory). */
  p50Microseconds?: number
  p99Microseconds?: number
  /** Median over rounds of (this store's mean latency / the memory store's, same round). */
  ratioToMemory?: number
}

export interface StoreBenchResult {
  node: string
  cpu: string
  date: string
  seconds: number
  stores: StoreFigures[]
}

// Every call advances to a greater nonce, so each one takes the write path, the
// one a real request takes; refused calls would be cheaper and flatter the store.
function advancer (store: BitjwsStore): (samples?: number[]) => Promise<void> {
  const kid = `1Bench${randomBytes(8).toString('hex')}`
  let nonce = 0
  return async (samples) => {
    nonce += 1
    const started = samples === undefined ? 0 : performance.now()
    const accepted = await store.advanceNonce(kid, nonce)
    if (samples !== undefined) samples.push(performance.now() - started)
    if (!accepted) throw new Error('the benchmark nonce was refused')
  }
}

async function runFor (
  milliseconds: number, call: (samples?: number[]) => Promise<void>, samples?: number[]
): Promise<number> {
  let calls = 0
  const start = performance.now()
  const deadline = start + milliseconds
  let now = start
  while (now < deadline) {
    await call(samples)
    calls += 1
    now = performance.now()
  }
  return ((now - start) * 1000) / calls
}

function percentile (values: number[], fraction: number): number {
  const sorted = [...values].sort((left, right) => left - right)
  const index = Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))
  return sorted[index] as number
}

const round2 = (value: number): number => Number(value.toFixed(2))

/**
 * The store and the memory baseline take turns in short rounds and the median
 * of the per-round ratios is kept, so that load from other processes on a
 * shared machine does not fall on one side only.
 */
async function measureAgainstMemory (
  seconds: number, store: BitjwsStore, memory: BitjwsStore
): Promise<Required<Omit<StoreFigures, 'store' | 'skipped'>>> {
  const subject = advancer(store)
  const baseline = advancer(memory)
  const rounds = Math.max(3, Math.round(seconds * 10))
  const half = (seconds * 1000) / rounds / 2
  await runFor(100, subject)
  await runFor(100, baseline)

  const samples: number[] = []
  const means: number[] = []
  const ratios: number[] = []
  for (let round = 0; round < rounds; round++) {
    const mean = await runFor(half, subject, samples)
    ratios.push(mean / await runFor(half, baseline))
    means.push(mean)
  }
  return {
    meanMicroseconds: round2(means.reduce((sum, mean) => sum + mean, 0) / means.length),
    p50Microseconds: round2(percentile(samples, 0.5) * 1000),
    p99Microseconds: round2(percentile(samples, 0.99) * 1000),
    ratioToMemory: round2(percentile(ratios, 0.5))
  }
}

/**
 * Latency of one advanceNonce, the store's part of every authenticated request,
 * for the memory store and for each shared store given, as ratios against
 * memory measured in the same run. Each shared store gets fresh keys or tables,
 * removed afterwards.
 */
export async function runStoreBench (options: StoreBenchOptions = {}): Promise<StoreBenchResult> {
  const { seconds = 2, redisUrl, databaseUrl } = options
  const memory = new MemoryStore()
  const stores: StoreFigures[] = [{
    store: 'memory',
    meanMicroseconds: round2(await runFor(seconds * 250, advancer(memory))),
    ratioToMemory: 1
  }]

  if (redisUrl === undefined) {
    stores.push({ store: 'redis', skipped: 'no Redis URL given' })
  } else {
    // A client of its own, rather than a URL, lets the benchmark remove its keys after.
    const client = new Redis(redisUrl)
    const records = benchRecords()
    try {
      const store = await createRedisStore({ client, prefix: records.redisPrefix })
      stores.push({ store: 'redis', ...await measureAgainstMemory(seconds, store, memory) })
    } finally {
      await removeRedisRecords(client, records)
      await client.quit()
    }
  }

  if (databaseUrl === undefined) {
    stores.push({ store: 'postgres', skipped: 'no PostgreSQL URL given' })
  } else {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 })
    const records = benchRecords()
    try {
      const { usersTable, noncesTable } = records
      const store = await createPostgresStore({ pool, usersTable, noncesTable })
      await store.migrate()
      stores.push({ store: 'postgres', ...await measureAgainstMemory(seconds, store, memory) })
    } finally {
      await dropPostgresTables(pool, records)
      await pool.end()
    }
  }

  return {
    node: process.version,
    cpu: `${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
    date: new Date().toISOString(),
    seconds,
    stores
  }
}

function printResult (result: StoreBenchResult): void {
  console.log(`store benchmark, one advanceNonce at a time: ${result.node}, ${result.cpu}, ` +
    result.date)
  for (const figures of result.stores) {
    const name = figures.store.padEnd(9)
    if (figures.skipped !== undefined) {
      console.log(`  ${name} skipped: ${figures.skipped}`)
      continue
    }
    const spread = figures.p50Microseconds === undefined
      ? ''
      : `, p50 ${figures.p50Microseconds} µs, p99 ${figures.p99Microseconds} µs`
    console.log(`  ${name} ${figures.meanMicroseconds} µs mean${spread}, ` +
      `${figures.ratioToMemory}× memory`)
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // The entry point, like a command line, reads where the servers are; the function does not.
  const options: StoreBenchOptions = {}
  if (process.env.REDIS_URL) options.redisUrl = process.env.REDIS_URL
  if (process.env.DATABASE_URL) options.databaseUrl = process.env.DATABASE_URL
  const result = await runStoreBench(options)
  if (process.argv.includes('--json')) console.log(JSON.stringify(result, null, 2))
  else printResult(result)
}
