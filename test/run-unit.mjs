// Runs the compiled tests under c8. The Redis and PostgreSQL suites need their
// servers; where one is not configured its suites skip, and its store module
// leaves the coverage gate instead of failing it, so the run says plainly what
// it did not check rather than going red on a machine without the servers.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'

const stores = [
  { variable: 'REDIS_URL', name: 'Redis', module: 'dist/lib/stores/redis.js' },
  { variable: 'DATABASE_URL', name: 'PostgreSQL', module: 'dist/lib/stores/postgres.js' }
]
const missing = stores.filter((store) => !process.env[store.variable])
const notes = missing.map((store) =>
  `${store.variable} is not set: the ${store.name} store suites are skipped, and ` +
  `${store.module.replace('dist/', '').replace(/\.js$/, '.ts')} is left out of the coverage gate`)

for (const note of notes) console.log(`note: ${note}`)
const c8 = createRequire(import.meta.url).resolve('c8/bin/c8.js')
const result = spawnSync(process.execPath, [
  c8,
  ...missing.flatMap((store) => ['--exclude', store.module]),
  process.execPath, '--test', 'dist/test/'
], { stdio: 'inherit' })
for (const note of notes) console.log(`note: ${note}`)
process.exitCode = result.status ?? 1
