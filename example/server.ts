import { buildExampleApp } from './app.js'
import { createStoreFromUrl } from './store-from-env.js'

// The example reads its configuration from the environment; the library never does.
const port = Number(process.env.PORT ?? 8002)
const host = process.env.HOST ?? '127.0.0.1'
const privateKey = process.env.BITJWS_PRIVATE_KEY

const store = await createStoreFromUrl(process.env.BITJWS_STORE)
const app = await buildExampleApp({
  store,
  logger: { level: process.env.LOG_LEVEL ?? 'info' },
  ...(privateKey === undefined || privateKey === '' ? {} : { privateKey })
})

app.addHook('onClose', async () => { await store.close?.() })
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => { app.close().then(() => process.exit(0), () => process.exit(1)) })
}

const url = await app.listen({ port, host })
app.log.info({ url, address: app.bitjws.address }, 'example bitjws API listening at %s', url)
