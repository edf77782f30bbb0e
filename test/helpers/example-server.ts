import { buildExampleApp } from '../../example/app.js'
import { createStoreFromUrl } from '../../example/store-from-env.js'
import { createPostgresStore } from '../../lib/stores/postgres.js'
import { createRedisStore } from '../../lib/stores/redis.js'
import type { BitjwsStore } from '../../lib/stores/store.js'

/**
 * One server process of a multi-process test: the example app on a store from
 * a URL, listening on a free port, which it prints as its first stdout line.
 *
 * BITJWS_TEST_STORE holds JSON: { url, prefix?, usersTable?, noncesTable? }; the
 * names keep each test run's data apart. Without it the script does nothing,
 * because `node --test dist/test/` loads every file under test/ as a test.
 */
export interface ExampleServerConfig {
  url: string
  prefix?: string
  usersTable?: string
  noncesTable?: string
}

async function openStore (config: ExampleServerConfig): Promise<BitjwsStore> {
  const { url, prefix, usersTable, noncesTable } = config
  if (prefix !== undefined) return await createRedisStore({ url, prefix })
  if (usersTable !== undefined && noncesTable !== undefined) {
    // The test migrates before it starts the servers; here the tables must exist.
    return await createPostgresStore({ url, usersTable, noncesTable })
  }
  return await createStoreFromUrl(url)
}

const configText = process.env.BITJWS_TEST_STORE
if (configText !== undefined) {
  const store = await openStore(JSON.parse(configText) as ExampleServerConfig)
  const app = await buildExampleApp({ store })
  app.addHook('onClose', async () => { await store.close?.() })
  process.once('SIGTERM', () => { app.close().then(() => process.exit(0), () => process.exit(1)) })

  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('no TCP address')
  process.stdout.write(`${address.port}\n`)
}
