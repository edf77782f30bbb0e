import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import pg from 'pg'

/**
 * Where one benchmark run keeps its records in a shared store: names of its
 * own, so that it never touches an application's records or another run's,
 * and can remove all of its own when it is done.
 */
export interface BenchRecords {
  redisPrefix: string
  usersTable: string
  noncesTable: string
}

export function benchRecords (runId: string = randomBytes(6).toString('hex')): BenchRecords {
  if (!/^[0-9a-f]{1,32}$/.test(runId)) throw new Error(`Not a benchmark run id: ${runId}`)
  return {
    redisPrefix: `bitjws-bench:${runId}:`,
    usersTable: `bitjws_bench_users_${runId}`,
    noncesTable: `bitjws_bench_nonces_${runId}`
  }
}

/** Deletes the run's Redis keys, SCAN by SCAN rather than with one blocking KEYS. */
export async function removeRedisRecords (client: Redis, records: BenchRecords): Promise<void> {
  for await (const keys of client.scanStream({ match: `${records.redisPrefix}*`, count: 500 })) {
    if ((keys as string[]).length > 0) await client.del(...(keys as string[]))
  }
}

export async function dropPostgresTables (pool: pg.Pool, records: BenchRecords): Promise<void> {
  await pool.query(`DROP TABLE IF EXISTS "${records.usersTable}", "${records.noncesTable}"`)
}

/** Removes a run's records from whichever stores it used; a store that is down is reported. */
export async function removeBenchRecords (
  records: BenchRecords, urls: { redis?: string | undefined, postgres?: string | undefined }
): Promise<string[]> {
  const problems: string[] = []
  if (urls.redis !== undefined) {
    const client = new Redis(urls.redis, { lazyConnect: true, maxRetriesPerRequest: 1 })
    try {
      await client.connect()
      await removeRedisRecords(client, records)
    } catch (error) {
      problems.push(`Redis keys ${records.redisPrefix}* left: ${(error as Error).message}`)
    } finally {
      client.disconnect()
    }
  }
  if (urls.postgres !== undefined) {
    const pool = new pg.Pool({ connectionString: urls.postgres, max: 1 })
    try {
      await dropPostgresTables(pool, records)
    } catch (error) {
      problems.push(`tables ${records.usersTable}, ${records.noncesTable} left: ` +
        (error as Error).message)
    } finally {
      await pool.end()
    }
  }
  return problems
}
