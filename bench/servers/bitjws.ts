import { buildExampleApp } from '../../example/app.js'
import { createPostgresStore, createRedisStore, type BitjwsStore } from '../../lib/index.js'
import { serve } from './serve.js'

// The example API as it ships. On its default memory store unless the runner
// names a shared store; the runner registers its keys through POST /user
// before loading POST /echo. The bench keeps its records apart from an
// application's: its own Redis prefix and PostgreSQL tables.
async function storeFor (url: string | undefined): Promise<BitjwsStore | undefined> {
  if (url === undefined) return undefined
  if (/^rediss?:/.test(url)) return createRedisStore({ url, prefix: 'bitjws-bench:' })
  const store = await createPostgresStore({
    url, usersTable: 'bitjws_bench_users', noncesTable: 'bitjws_bench_nonces'
  })
  await store.migrate()
  return store
}

const store = await storeFor(process.env.BENCH_STORE_URL)
const app = await buildExampleApp({ logger: false, ...(store === undefined ? {} : { store }) })

await serve(app)
