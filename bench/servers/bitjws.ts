import { buildExampleApp } from '../../example/app.js'
import { createPostgresStore, createRedisStore, type BitjwsStore } from '../../lib/index.js'
import { benchRecords } from '../records.js'
import { serve } from './serve.js'

// The example API as it ships. On its default memory store unless the runner
// names a shared store; the runner registers its keys through POST /user
// before loading POST /echo. On a shared store the records go under the
// run's own prefix or tables, which the runner removes when it is done.
async function storeFor (
  url: string | undefined, runId: string | undefined
): Promise<BitjwsStore | undefined> {
  if (url === undefined) return undefined
  const { redisPrefix, usersTable, noncesTable } = benchRecords(runId)
  if (/^rediss?:/.test(url)) return createRedisStore({ url, prefix: redisPrefix })
  const store = await createPostgresStore({ url, usersTable, noncesTable })
  await store.migrate()
  return store
}

const store = await storeFor(process.env.BENCH_STORE_URL, process.env.BENCH_RUN_ID)
const app = await buildExampleApp({ logger: false, ...(store === undefined ? {} : { store }) })

await serve(app)
