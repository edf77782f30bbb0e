import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, platform, release } from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { runCodecBench, type CodecBenchResult } from './codec.js'
import { formatRun, runE2eBench, type E2eResult } from './e2e.js'
import { runStoreBench, type StoreBenchResult } from './stores.js'

// `npm run bench`: the codec micro-benchmark, the store latencies and the
// end-to-end comparison, in one process tree and one sitting, so that every
// ratio compares figures taken on the same machine in the same minutes.

const repositoryDir = fileURLToPath(new URL('../..', import.meta.url))
const resultsDir = repositoryDir + 'bench/results/'
const latestFile = resultsDir + 'latest.json'
const readmeFile = repositoryDir + 'README.md'
const tableFile = resultsDir + 'README-table.md'
const START_MARKER = '<!-- bench:start -->'
const END_MARKER = '<!-- bench:end -->'

/** The bitjws server's requests per second over the bare-recovery route's, at least. */
const TARGET_TO_RECOVER = 0.9
/** The bitjws server's requests per second over @fastify/jwt ES256's, at least (stretch). */
const TARGET_TO_JWT = 1

export interface BenchResults {
  machine: { cpu: string, cores: number, os: string, node: string }
  date: string
  codec: CodecBenchResult | null
  stores: StoreBenchResult | null
  e2e: E2eResult
  /** Whether bitjws met each target, by requests per second and by server CPU per request. */
  targets: {
    requestsPerSecond: { bitjwsToRecover: boolean | null, bitjwsToJwt: boolean | null }
    serverCpu: { bitjwsToRecover: boolean | null, bitjwsToJwt: boolean | null }
  }
}

const { values: flags } = parseArgs({
  options: {
    'table-only': { type: 'boolean' },
    seconds: { type: 'string' },
    rounds: { type: 'string' }
  }
})

if (flags['table-only'] === true) {
  writeTable(JSON.parse(readFileSync(latestFile, 'utf8')) as BenchResults)
} else {
  const results = await runAll(
    flags.seconds === undefined ? 5 : Number(flags.seconds),
    flags.rounds === undefined ? 2 : Number(flags.rounds)
  )
  mkdirSync(resultsDir, { recursive: true })
  writeFileSync(latestFile, JSON.stringify(results, null, 2) + '\n')
  console.log(`\nfigures written to ${relative(latestFile)}`)
  writeTable(results)
  if (results.e2e.scenarios.some((scenario) => !scenario.ok)) process.exitCode = 1
}

async function runAll (seconds: number, rounds: number): Promise<BenchResults> {
  const machine = {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    os: `${platform()} ${release()}`,
    node: process.version
  }
  const date = new Date().toISOString()
  console.log(`fastify-bitjws benchmarks: ${machine.cpu} × ${machine.cores}, Node ${machine.node}`)

  // Two seconds per pair: 40 alternating rounds, so that one burst of load
  // on a shared machine moves the median ratio by less than a percent.
  console.log('\ncodec micro-benchmark (2 s per pair)')
  const codec = await settle(() => runCodecBench({ seconds: 2 }))
  printCodec(codec)

  console.log('\nstore latencies, one advanceNonce at a time (1 s per store)')
  // Like the store benchmark's own entry point, the runner reads where the
  // shared stores are; without a URL a store is reported as skipped.
  const stores = await settle(() => runStoreBench({
    seconds: 1,
    ...(process.env.REDIS_URL ? { redisUrl: process.env.REDIS_URL } : {}),
    ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {})
  }))
  for (const line of describeStores(stores)) console.log(`  ${line}`)

  console.log(`\nend to end: 10 connections, no pipelining, 2 s warm-up and ${seconds} s ` +
    `measured per server, ${rounds} rounds`)
  const e2e = await runE2eBench({
    connections: 10,
    seconds,
    warmUpSeconds: 2,
    rounds,
    storeUrls: {
      ...(process.env.REDIS_URL ? { redis: process.env.REDIS_URL } : {}),
      ...(process.env.DATABASE_URL ? { postgres: process.env.DATABASE_URL } : {})
    }
  })

  console.log('\n  best round of each server')
  for (const scenario of e2e.scenarios) console.log(formatRun(scenario.title, scenario))
  const { requestsPerSecond: byRate, serverCpu: byCpu } = e2e.ratios
  console.log('\n  bitjws ÷ bare recover + sign   ' +
    `${byRate.bitjwsToRecover ?? 'n/a'} by requests/s, ` +
    `${byCpu.bitjwsToRecover ?? 'n/a'} by server CPU per request (target ≥ ${TARGET_TO_RECOVER})`)
  console.log('  bitjws ÷ @fastify/jwt ES256    ' +
    `${byRate.bitjwsToJwt ?? 'n/a'} by requests/s, ` +
    `${byCpu.bitjwsToJwt ?? 'n/a'} by server CPU per request (stretch target ≥ ${TARGET_TO_JWT})`)
  console.log('  Redis store ÷ memory store      ' +
    `${byRate.redisToMemory ?? 'n/a'} by requests/s`)
  console.log('  PostgreSQL store ÷ memory store ' +
    `${byRate.postgresToMemory ?? 'n/a'} by requests/s`)

  const meets = (ratio: number | null, target: number) => ratio === null ? null : ratio >= target
  return {
    machine,
    date,
    codec,
    stores,
    e2e,
    targets: {
      requestsPerSecond: {
        bitjwsToRecover: meets(byRate.bitjwsToRecover, TARGET_TO_RECOVER),
        bitjwsToJwt: meets(byRate.bitjwsToJwt, TARGET_TO_JWT)
      },
      serverCpu: {
        bitjwsToRecover: meets(byCpu.bitjwsToRecover, TARGET_TO_RECOVER),
        bitjwsToJwt: meets(byCpu.bitjwsToJwt, TARGET_TO_JWT)
      }
    }
  }
}

/** Runs one benchmark; one that fails must not cost the others their figures. */
async function settle<T> (run: () => T | Promise<T>): Promise<T | null> {
  try {
    return await run()
  } catch (error) {
    console.log(`  failed: ${(error as Error).message}`)
    return null
  }
}

function printCodec (codec: CodecBenchResult | null): void {
  for (const [name, value] of Object.entries(codec?.opsPerSecond ?? {})) {
    console.log(`  ${name.padEnd(14)} ${value.toLocaleString('en')} ops/s`)
  }
  for (const [name, value] of Object.entries(codec?.ratios ?? {})) {
    console.log(`  ${name.padEnd(14)} ${value}`)
  }
}

/** Puts the table between the README's markers, or beside the results while there are none. */
function writeTable (results: BenchResults): void {
  const table = renderTable(results)
  const readme = existsSync(readmeFile) ? readFileSync(readmeFile, 'utf8') : ''
  const start = readme.indexOf(START_MARKER)
  const end = readme.indexOf(END_MARKER)

  if (start !== -1 && end > start) {
    const updated = readme.slice(0, start + START_MARKER.length) + '\n' + table +
      readme.slice(end)
    writeFileSync(readmeFile, updated)
    console.log('benchmark table updated in README.md')
    return
  }
  writeFileSync(tableFile, table)
  console.log(`README.md has no ${START_MARKER} … ${END_MARKER}; table written to ` +
    relative(tableFile))
}

function renderTable (results: BenchResults): string {
  const { machine, e2e } = results
  const bitjws = e2e.scenarios.find((scenario) => scenario.name === 'bitjws')
  const lines = [
    ...wrap(`Measured on ${machine.cpu} × ${machine.cores} (${machine.os}), Node ` +
      `${machine.node}, ${results.date.slice(0, 10)}. Each server ran in a process of its ` +
      'own, on the same machine as the load generator (autocannon, ' +
      `${e2e.connections} connections, no pipelining, ${e2e.warmUpSeconds} s warm-up, ` +
      `${e2e.seconds} s measured, best of ${e2e.rounds} interleaved rounds). Compare the ` +
      'ratios rather than the absolute figures; the server CPU time per request varies ' +
      'least from run to run.'),
    '',
    '| Server | Requests/s | p50 | p99 | Non-2xx | Server CPU per request | ' +
      'bitjws ÷ this, by req/s | by CPU |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'
  ]

  for (const scenario of e2e.scenarios) {
    if (!scenario.ok) {
      lines.push(`| ${scenario.title} | failed: ${scenario.failure ?? ''} | | | ` +
        `${scenario.non2xx} | | | |`)
      continue
    }
    const ratios = bitjws?.ok === true
      ? [
          (bitjws.requestsPerSecond / scenario.requestsPerSecond).toFixed(2),
          (scenario.cpu.serverMicrosecondsPerRequest /
            bitjws.cpu.serverMicrosecondsPerRequest).toFixed(2)
        ]
      : ['n/a', 'n/a']
    lines.push(`| ${scenario.title} | ${scenario.requestsPerSecond.toLocaleString('en')} | ` +
      `${scenario.latencyMs.p50.toFixed(2)} ms | ${scenario.latencyMs.p99.toFixed(2)} ms | ` +
      `${scenario.non2xx} | ${scenario.cpu.serverMicrosecondsPerRequest} µs | ` +
      `${ratios[0]} | ${ratios[1]} |`)
  }

  const { requestsPerSecond: byRate, serverCpu: byCpu } = e2e.ratios
  const toRecover = describeRatio(byRate.bitjwsToRecover, byCpu.bitjwsToRecover, TARGET_TO_RECOVER)
  const toJwt = describeRatio(byRate.bitjwsToJwt, byCpu.bitjwsToJwt, TARGET_TO_JWT)
  lines.push('', ...wrap('Targets: bitjws at least 0.9 of the bare-recovery route, the cost of ' +
    `its cryptography alone (this run: ${toRecover}), and at least as fast as @fastify/jwt ` +
    `ES256, a stretch (${toJwt}).`))

  if (byRate.redisToMemory !== null || byRate.postgresToMemory !== null) {
    lines.push('', ...wrap('Authenticated requests per second on a shared store, over the ' +
      `memory store in the same run: Redis ${byRate.redisToMemory ?? 'not measured'}, ` +
      `PostgreSQL ${byRate.postgresToMemory ?? 'not measured'}.`))
  }

  const codec = results.codec
  const verifyToRecover = codec?.ratios?.verifyToRecover
  if (verifyToRecover !== undefined) {
    lines.push('', ...wrap('Codec alone, in one process: `verify()` runs at ' +
      `${verifyToRecover} of the speed of the \`secp256k1\` package's \`ecdsaRecover\` on ` +
      'the same signature (target ≥ 0.9), and at ' +
      `${codec?.ratios?.verifyToAddonRecover ?? 'n/a'} of a recovery on the addon beneath ` +
      'it, called as the codec calls it; `sign()` runs at ' +
      `${codec?.ratios?.signToEcdsaSign ?? 'n/a'} of a bare signing.`))
  }

  const storeLines = describeStores(results.stores)
  if (storeLines.length > 0) {
    lines.push('', ...wrap("The store's part of a request, one advanceNonce: " +
      `${storeLines.join('; ')}.`))
  }

  lines.push('', ...wrap('Run `npm run bench` to measure again; every figure lands in ' +
    '`bench/results/latest.json`.'))
  return lines.join('\n') + '\n'
}

function describeStores (stores: StoreBenchResult | null): string[] {
  return (stores?.stores ?? []).map((store) => {
    if (store.skipped !== undefined) return `${store.store} not measured (${store.skipped})`
    const ratio = store.store === 'memory' ? '' : `, ${store.ratioToMemory}× memory`
    return `${store.store} ${store.meanMicroseconds} µs${ratio}`
  })
}

function describeRatio (byRate: number | null, byCpu: number | null, target: number): string {
  if (byRate === null || byCpu === null) return 'not measured, a server failed'
  const verdict = byRate >= target ? 'met' : byCpu >= target ? 'met by CPU time only' : 'not met'
  return `${byRate} by requests per second, ${byCpu} by CPU time: ${verdict}`
}

/** Markdown prose in lines of at most 80 characters, as the rest of the README. */
function wrap (text: string): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > 80) {
      lines.push(line)
      line = word
    } else {
      line = line === '' ? word : `${line} ${word}`
    }
  }
  if (line !== '') lines.push(line)
  return lines
}

function relative (file: string): string {
  return file.startsWith(repositoryDir) ? file.slice(repositoryDir.length) : file
}
