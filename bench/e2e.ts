import { fork, type ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { performance } from 'node:perf_hooks'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { SigningKey, sign, verify } from '../lib/codec/index.js'
import { benchRecords, removeBenchRecords } from './records.js'
import {
  CPU_USAGE_QUESTION, type CpuUsageAnswer, type ServerReady
} from './servers/serve.js'

// The servers, loaded one after another with the same client settings.
// Each runs in a child process of its own, so that the load generator (this
// process) and the server never share an event loop, and the CPU time of each
// can be counted on its own.

export type ScenarioName =
  'plain' | 'recover' | 'bitjws' | 'bitjws-redis' | 'bitjws-postgres' | 'jwt'

/** The bitjws scenarios, one per store: all send the same signed messages. */
const BITJWS_SCENARIOS: ReadonlySet<ScenarioName> =
  new Set(['bitjws', 'bitjws-redis', 'bitjws-postgres'])

export interface E2eOptions {
  /** Concurrent keep-alive connections, each without pipelining. Default: 10. */
  connections?: number
  /** Measured seconds per server and round. Default: 5. */
  seconds?: number
  /** Seconds of load before the measurement, on the same server process. Default: 2. */
  warmUpSeconds?: number
  /** Rounds over all servers. Default: 2. */
  rounds?: number
  /**
   * Servers to load, in this order. Default: all, less the shared stores
   * whose URL is not given.
   */
  scenarios?: readonly ScenarioName[]
  /** Where the shared-store scenarios find their servers. */
  storeUrls?: { redis?: string, postgres?: string }
  /**
   * When set, each server runs under --cpu-prof in the last round and writes
   * `<name>-server.cpuprofile` here.
   */
  profileDir?: string
  /** Progress lines. Default: console.log. */
  log?: (line: string) => void
}

/** The figures of one measured run of one server. */
export interface RunFigures {
  /** False when any request failed or was answered with anything but 200. */
  ok: boolean
  failure?: string
  /** Completed 2xx responses per second over the measured window. */
  requestsPerSecond: number
  latencyMs: { p50: number, p99: number, average: number }
  requests: number
  non2xx: number
  errors: number
  timeouts: number
  /**
   * Shares of one core used during the measured window, and the server's CPU
   * time per answered request: with two cores, the load generator and
   * anything else running take CPU from the server, and the CPU time per
   * request is the steadier figure.
   */
  cpu: { server: number, loadGenerator: number, serverMicrosecondsPerRequest: number }
  /** bitjws only: messages signed before the run, and any the client had to sign during it. */
  messages?: { presigned: number, signedDuringRun: number, keys: number }
}

/** One server over all rounds: the figures of its best run, and every run. */
export interface ScenarioResult extends RunFigures {
  name: ScenarioName
  title: string
  runs: RunFigures[]
}

export interface E2eResult {
  connections: number
  pipelining: 1
  seconds: number
  warmUpSeconds: number
  rounds: number
  scenarios: ScenarioResult[]
  /**
   * bitjws over another server, from each one's best run; null when either
   * failed. `requestsPerSecond` compares throughput; `serverCpu` compares CPU
   * time per request (the other's over bitjws', so that above 1 means bitjws
   * is cheaper).
   */
  ratios: {
    requestsPerSecond: Ratios
    serverCpu: Ratios
  }
}

export interface Ratios {
  bitjwsToRecover: number | null
  bitjwsToJwt: number | null
  recoverToPlain: number | null
  jwtToPlain: number | null
  /** The same bitjws server on a shared store, over it on the memory store. */
  redisToMemory: number | null
  postgresToMemory: number | null
}

const TITLES: Record<ScenarioName, string> = {
  plain: 'Fastify, JSON echo (ceiling)',
  recover: 'Fastify + bare secp256k1 recover + sign (floor)',
  bitjws: 'fastify-bitjws, example /echo',
  'bitjws-redis': 'fastify-bitjws, example /echo, Redis store',
  'bitjws-postgres': 'fastify-bitjws, example /echo, PostgreSQL store',
  jwt: '@fastify/jwt ES256 bearer'
}

// The same data travels in every scenario: as a JSON body, or as a bitjws
// payload's `data`.
const DATA = { message: 'hello', amount: '12.5', currency: 'BTC', note: 'monthly rent' }
const JSON_BODY = JSON.stringify(DATA)

// Pre-signed messages cover this multiple of what the bare-recovery rate
// would need; bitjws does the same cryptography and more, so it cannot go faster.
const MESSAGE_MARGIN = 1.4
const FALLBACK_RATE = 8000

const distDir = fileURLToPath(new URL('.', import.meta.url))
const repositoryDir = fileURLToPath(new URL('../..', import.meta.url))

const SERVER_FILES: Record<ScenarioName, string> = {
  plain: distDir + 'servers/plain.js',
  recover: distDir + 'servers/recover.js',
  bitjws: distDir + 'servers/bitjws.js',
  'bitjws-redis': distDir + 'servers/bitjws.js',
  'bitjws-postgres': distDir + 'servers/bitjws.js',
  // Not compiled: see the note at the top of that file.
  jwt: repositoryDir + 'bench/servers/jwt.mjs'
}

interface AutocannonRequest {
  method?: string
  path?: string
  headers?: Record<string, string>
  body?: string
  setupRequest?: (request: AutocannonRequest) => AutocannonRequest
}

interface AutocannonClient {
  setRequests (requests: AutocannonRequest[]): void
}

interface AutocannonOptions {
  url: string
  requests: AutocannonRequest[]
  connections: number
  pipelining: number
  duration: number
  setupClient?: (client: AutocannonClient) => void
}

interface AutocannonResult {
  duration: number
  errors: number
  timeouts: number
  non2xx: number
  '2xx': number
  statusCodeStats: Record<string, { count: number }>
}

interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  on (event: 'response', listener: (
    client: AutocannonClient, statusCode: number, bytes: number, responseTime: number
  ) => void): void
}

// autocannon ships no type declarations; the shapes above are the parts used here.
const autocannon = createRequire(import.meta.url)('autocannon') as
  (options: AutocannonOptions) => AutocannonInstance

/**
 * Loads each server in turn, for several rounds (plain, recover, bitjws, jwt,
 * then again): other work on a small machine comes and goes, and
 * interleaving spreads it over all servers instead of one. Each server
 * reports its best round; one failed run fails the server.
 */
export async function runE2eBench (options: E2eOptions = {}): Promise<E2eResult> {
  const settings = {
    connections: options.connections ?? 10,
    seconds: options.seconds ?? 5,
    warmUpSeconds: options.warmUpSeconds ?? 2
  }
  const rounds = options.rounds ?? 2
  const log = options.log ?? console.log
  const storeUrls = options.storeUrls ?? {}
  const names = options.scenarios ?? [
    'plain', 'recover', 'bitjws',
    ...(storeUrls.redis === undefined ? [] : ['bitjws-redis'] as const),
    ...(storeUrls.postgres === undefined ? [] : ['bitjws-postgres'] as const),
    'jwt'
  ] as const
  const runs = new Map<ScenarioName, RunFigures[]>(names.map((name) => [name, []]))
  const stores: StoreSettings = { urls: storeUrls, runId: randomBytes(6).toString('hex') }

  try {
    for (let roundIndex = 0; roundIndex < rounds; roundIndex++) {
      log(`  round ${roundIndex + 1} of ${rounds}`)
      let expectedRate = FALLBACK_RATE
      for (const name of names) {
        const profileDir = roundIndex === rounds - 1 ? options.profileDir : undefined
        const figures = await runScenario(name, settings, expectedRate, profileDir, stores)
        if (name === 'recover' && figures.ok) expectedRate = figures.requestsPerSecond
        runs.get(name)?.push(figures)
        log(formatRun(TITLES[name], figures))
      }
    }
  } finally {
    const used = {
      redis: names.includes('bitjws-redis') ? storeUrls.redis : undefined,
      postgres: names.includes('bitjws-postgres') ? storeUrls.postgres : undefined
    }
    for (const problem of await removeBenchRecords(benchRecords(stores.runId), used)) {
      log(`  could not clean up: ${problem}`)
    }
  }

  const scenarios = names.map((name) => combineRuns(name, runs.get(name) ?? []))
  return {
    ...settings,
    pipelining: 1,
    rounds,
    scenarios,
    ratios: {
      requestsPerSecond: compare(scenarios, (scenario) => scenario.requestsPerSecond),
      serverCpu: compare(scenarios, (scenario) => 1 / scenario.cpu.serverMicrosecondsPerRequest)
    }
  }
}

function combineRuns (name: ScenarioName, runs: RunFigures[]): ScenarioResult {
  const failedRun = runs.find((run) => !run.ok)
  const best = failedRun ??
    runs.reduce((top, run) => run.requestsPerSecond > top.requestsPerSecond ? run : top)
  return { name, title: TITLES[name], ...best, runs }
}

/** Ratios of a figure where higher is better, between the servers that did not fail. */
function compare (
  scenarios: ScenarioResult[], figure: (scenario: ScenarioResult) => number
): Ratios {
  const value = (name: ScenarioName) => {
    const scenario = scenarios.find((candidate) => candidate.name === name)
    return scenario?.ok === true ? figure(scenario) : undefined
  }
  const ratio = (over: ScenarioName, under: ScenarioName) => {
    const top = value(over)
    const bottom = value(under)
    return top === undefined || bottom === undefined || !Number.isFinite(top / bottom)
      ? null
      : round(top / bottom, 3)
  }
  return {
    bitjwsToRecover: ratio('bitjws', 'recover'),
    bitjwsToJwt: ratio('bitjws', 'jwt'),
    recoverToPlain: ratio('recover', 'plain'),
    jwtToPlain: ratio('jwt', 'plain'),
    redisToMemory: ratio('bitjws-redis', 'bitjws'),
    postgresToMemory: ratio('bitjws-postgres', 'bitjws')
  }
}

interface Settings { connections: number, seconds: number, warmUpSeconds: number }

/** The shared stores' URLs, and the run id that names this run's records in them. */
interface StoreSettings { urls: NonNullable<E2eOptions['storeUrls']>, runId: string }

/** What one scenario sends: a fixed request, or one that changes for every request. */
interface Load {
  request: AutocannonRequest
  /** Gives each connection of a run its own request source. */
  perConnection?: (connectionIndex: number, run: 'warm-up' | 'measured') => AutocannonRequest
  messages?: () => RunFigures['messages']
}

async function runScenario (
  name: ScenarioName, settings: Settings, expectedRate: number, profileDir: string | undefined,
  stores: StoreSettings
): Promise<RunFigures> {
  // Signing happens before the server starts, so that a profile of the
  // server shows the requests and not the wait for them.
  const messages = BITJWS_SCENARIOS.has(name) ? createMessages(settings, expectedRate) : undefined
  const storeUrl = name === 'bitjws-redis'
    ? stores.urls.redis
    : name === 'bitjws-postgres' ? stores.urls.postgres : undefined
  if (name !== 'bitjws' && BITJWS_SCENARIOS.has(name) && storeUrl === undefined) {
    return failed('no URL given for its store')
  }
  let server: RunningServer
  try {
    server = await startServer(name, profileDir, storeUrl, stores.runId)
  } catch (error) {
    return failed(`start: ${(error as Error).message}`)
  }
  try {
    const url = `http://127.0.0.1:${server.ready.port}`
    let load: Load
    try {
      load = await prepareLoad(name, url, server.ready, messages)
    } catch (error) {
      return failed(`preflight: ${(error as Error).message}`)
    }

    await measure(url, settings.warmUpSeconds, settings.connections, load, 'warm-up')

    const serverBefore = await server.cpuTime()
    const generatorBefore = process.cpuUsage()
    const started = performance.now()
    const { result, latencies } =
      await measure(url, settings.seconds, settings.connections, load, 'measured')
    const wall = (performance.now() - started) * 1000
    const serverTime = await server.cpuTime() - serverBefore
    const generator = process.cpuUsage(generatorBefore)
    const cpu = {
      server: round(serverTime / wall, 3),
      loadGenerator: round((generator.user + generator.system) / wall, 3),
      serverMicrosecondsPerRequest: Math.round(serverTime / Math.max(1, result['2xx']))
    }
    return summarize(result, latencies, cpu, load.messages?.())
  } finally {
    await server.stop()
  }
}

async function prepareLoad (
  name: ScenarioName, url: string, ready: ServerReady, messages: BitjwsMessages | undefined
): Promise<Load> {
  const jsonRequest = {
    method: 'POST', path: '/echo', headers: { 'content-type': 'application/json' }, body: JSON_BODY
  }

  if (name === 'plain' || name === 'recover') {
    await expectOk(url, jsonRequest)
    return { request: jsonRequest }
  }

  if (name === 'jwt') {
    if (ready.token === undefined) throw new Error('the JWT server sent no token')
    const request = {
      ...jsonRequest,
      headers: { ...jsonRequest.headers, authorization: `Bearer ${ready.token}` }
    }
    await expectOk(url, request)
    return { request }
  }

  if (messages === undefined) throw new Error('no bitjws messages were prepared')
  return prepareBitjwsLoad(url, messages)
}

interface BitjwsMessages {
  preflight: MessageQueue
  runs: Record<'warm-up' | 'measured', MessageQueue[]>
}

/**
 * One key per connection and run, each with its own queue of messages whose
 * iat grows by one: a connection without pipelining delivers its messages in
 * order, so the server sees every nonce grow and refuses none. Warm-up and
 * measured run use different keys, so that a message still in flight when
 * the warm-up stops cannot meet a later one of its key on another connection.
 */
function createMessages (settings: Settings, expectedRate: number): BitjwsMessages {
  const { connections } = settings
  const perConnection = (seconds: number) =>
    Math.ceil(expectedRate * seconds * MESSAGE_MARGIN / connections) + 50
  return {
    preflight: new MessageQueue(2 * connections, 1),
    runs: {
      'warm-up': makeQueues(connections, 0, perConnection(settings.warmUpSeconds)),
      measured: makeQueues(connections, connections, perConnection(settings.seconds))
    }
  }
}

async function prepareBitjwsLoad (
  url: string, { preflight, runs }: BitjwsMessages
): Promise<Load> {
  const all = [...runs['warm-up'], ...runs.measured]
  for (const queue of [preflight, ...all]) {
    await postJson(url + '/user', { username: `bench-${queue.index}`, kid: queue.key.address })
  }

  const request = {
    method: 'POST', path: '/echo', headers: { 'content-type': 'application/jose' }
  }
  const reply = await expectOk(url, { ...request, body: preflight.next() })
  verify(reply, { audience: '/response' })

  return {
    request: { ...request, body: '' },
    perConnection: (index, run) => {
      const queue = runs[run][index % runs[run].length] as MessageQueue
      return { ...request, setupRequest: (built) => ({ ...built, body: queue.next() }) }
    },
    messages: () => ({
      presigned: all.reduce((sum, queue) => sum + queue.presigned, 0),
      signedDuringRun: all.reduce((sum, queue) => sum + queue.signedLate, 0),
      keys: all.length
    })
  }
}

class MessageQueue {
  readonly key: SigningKey
  readonly index: number
  readonly presigned: number
  signedLate = 0
  #iat = Date.now()
  #next = 0
  readonly #messages: string[] = []
  readonly #exp = Math.floor(Date.now() / 1000) + 3600

  constructor (index: number, count: number) {
    this.index = index
    const seed = createHash('sha256').update(`fastify-bitjws bench ${index}`).digest()
    this.key = new SigningKey(seed)
    for (let made = 0; made < count; made++) this.#messages.push(this.#sign())
    this.presigned = count
  }

  /** The next message of this key; signed now only if the pre-signed ones ran out. */
  next (): string {
    const message = this.#messages[this.#next]
    if (message !== undefined) {
      this.#next++
      return message
    }
    this.signedLate++
    return this.#sign()
  }

  #sign (): string {
    return sign({ aud: '/echo', exp: this.#exp, iat: this.#iat++, data: DATA }, this.key)
  }
}

function makeQueues (count: number, firstIndex: number, messages: number): MessageQueue[] {
  return Array.from({ length: count },
    (_, offset) => new MessageQueue(firstIndex + offset, messages))
}

async function measure (
  url: string, seconds: number, connections: number, load: Load, run: 'warm-up' | 'measured'
): Promise<{ result: AutocannonResult, latencies: Float64Array }> {
  let connectionIndex = 0
  const { perConnection } = load
  const instance = autocannon({
    url,
    connections,
    pipelining: 1,
    duration: seconds,
    requests: [load.request],
    ...(perConnection === undefined
      ? {}
      : {
          setupClient: (client) => {
            client.setRequests([perConnection(connectionIndex++, run)])
          }
        })
  })

  // autocannon's own histogram keeps whole milliseconds; loopback latencies
  // need the fractions.
  let latencies = new Float64Array(1 << 16)
  let count = 0
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode < 200 || statusCode > 299) return
    if (count === latencies.length) {
      const larger = new Float64Array(latencies.length * 2)
      larger.set(latencies)
      latencies = larger
    }
    latencies[count++] = responseTime
  })

  const result = await instance
  return { result, latencies: latencies.subarray(0, count) }
}

function summarize (
  result: AutocannonResult, latencies: Float64Array,
  cpu: RunFigures['cpu'], messages: RunFigures['messages']
): RunFigures {
  const sorted = Float64Array.from(latencies).sort()
  const percentile = (share: number) => sorted.length === 0
    ? 0
    : sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] as number
  const average = sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length)

  // Every route answers 200; any other status, even another 2xx, means
  // something was skipped or refused.
  const unexpected = Object.entries(result.statusCodeStats)
    .filter(([status]) => status !== '200')
    .reduce((sum, [, { count }]) => sum + count, 0)
  const problems = []
  if (unexpected > 0) {
    problems.push(`${unexpected} answers other than 200 (${statusSummary(result)})`)
  }
  if (result.errors > 0) problems.push(`${result.errors} errors`)
  if (result.timeouts > 0) problems.push(`${result.timeouts} timeouts`)
  if (result['2xx'] === 0) problems.push('no successful response')

  return {
    ok: problems.length === 0,
    ...(problems.length === 0 ? {} : { failure: problems.join(', ') }),
    requestsPerSecond: Math.round(result['2xx'] / result.duration),
    latencyMs: {
      p50: round(percentile(0.5), 3),
      p99: round(percentile(0.99), 3),
      average: round(average, 3)
    },
    requests: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    cpu,
    ...(messages === undefined ? {} : { messages })
  }
}

function failed (failure: string): RunFigures {
  return {
    ok: false,
    failure,
    requestsPerSecond: 0,
    latencyMs: { p50: 0, p99: 0, average: 0 },
    requests: 0,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    cpu: { server: 0, loadGenerator: 0, serverMicrosecondsPerRequest: 0 }
  }
}

function statusSummary (result: AutocannonResult): string {
  return Object.entries(result.statusCodeStats)
    .map(([status, { count }]) => `${status}: ${count}`)
    .join(', ')
}

export function formatRun (title: string, result: RunFigures): string {
  const head = `    ${title.padEnd(48)}`
  if (!result.ok) return `${head} FAILED: ${result.failure ?? 'unknown'}`
  const late = result.messages !== undefined && result.messages.signedDuringRun > 0
    ? `  (${result.messages.signedDuringRun} messages signed during the run)`
    : ''
  return `${head} ${String(result.requestsPerSecond).padStart(7)} req/s` +
    `  p50 ${result.latencyMs.p50.toFixed(2)} ms  p99 ${result.latencyMs.p99.toFixed(2)} ms` +
    `  non-2xx ${result.non2xx}` +
    `  server CPU ${result.cpu.serverMicrosecondsPerRequest} µs/request` +
    ` (cores used: server ${percent(result.cpu.server)},` +
    ` load generator ${percent(result.cpu.loadGenerator)})` +
    late
}

interface RunningServer {
  ready: ServerReady
  /** The server's CPU time so far, user and system, in microseconds. */
  cpuTime (): Promise<number>
  stop (): Promise<void>
}

const START_TIMEOUT = 20_000
const STOP_TIMEOUT = 5_000

function startServer (
  name: ScenarioName, profileDir: string | undefined, storeUrl: string | undefined,
  runId: string
): Promise<RunningServer> {
  const file = SERVER_FILES[name]
  const env = storeUrl === undefined
    ? process.env
    : { ...process.env, BENCH_STORE_URL: storeUrl, BENCH_RUN_ID: runId }
  const execArgv = profileDir === undefined
    ? []
    : ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-name', `${name}-server.cpuprofile`]
  if (profileDir !== undefined) mkdirSync(profileDir, { recursive: true })
  const child = fork(file, [], { execArgv, env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill()
      reject(new Error(`${file} did not start listening within ${START_TIMEOUT} ms`))
    }, START_TIMEOUT)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${file} exited with code ${code} before listening`))
    })
    child.once('message', (message) => {
      clearTimeout(timer)
      child.removeAllListeners('exit')
      resolve({
        ready: message as ServerReady,
        cpuTime: () => askCpuTime(child),
        stop: () => stopServer(child)
      })
    })
  })
}

function askCpuTime (child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not report its CPU time')),
      STOP_TIMEOUT)
    child.once('message', (message) => {
      clearTimeout(timer)
      const { user, system } = (message as CpuUsageAnswer).cpuUsage
      resolve(user + system)
    })
    child.send(CPU_USAGE_QUESTION)
  })
}

/** Disconnecting asks the server to exit; a server that does not is killed. */
function stopServer (child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve()
      return
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    if (child.connected) child.disconnect()
  })
}

async function expectOk (url: string, request: AutocannonRequest): Promise<string> {
  const response = await fetch(url + (request.path ?? '/'), {
    method: request.method ?? 'GET',
    headers: request.headers ?? {},
    ...(request.body === undefined ? {} : { body: request.body })
  })
  const text = await response.text()
  if (response.status !== 200) {
    throw new Error(`${request.path} answered ${response.status}: ${text}`)
  }
  return text
}

async function postJson (url: string, body: unknown): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body)
  })
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${await response.text()}`)
}

function percent (share: number): string {
  return `${Math.round(share * 100)}%`
}

function round (value: number, digits: number): number {
  return Number(value.toFixed(digits))
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string' },
      connections: { type: 'string' },
      only: { type: 'string' },
      rounds: { type: 'string' },
      profile: { type: 'boolean' }
    }
  })
  const scenarios = values.only?.split(',') as ScenarioName[] | undefined
  const unknown = scenarios?.filter((name) => !(name in SERVER_FILES))
  if (unknown !== undefined && unknown.length > 0) {
    throw new TypeError(`--only takes ${Object.keys(SERVER_FILES).join(', ')}; not ${unknown}`)
  }
  const result = await runE2eBench({
    ...(values.seconds === undefined ? {} : { seconds: Number(values.seconds) }),
    ...(values.connections === undefined ? {} : { connections: Number(values.connections) }),
    ...(values.rounds === undefined ? {} : { rounds: Number(values.rounds) }),
    ...(scenarios === undefined ? {} : { scenarios }),
    storeUrls: {
      ...(process.env.REDIS_URL ? { redis: process.env.REDIS_URL } : {}),
      ...(process.env.DATABASE_URL ? { postgres: process.env.DATABASE_URL } : {})
    },
    ...(values.profile === true ? { profileDir: repositoryDir + 'bench/results' } : {})
  })
  console.log(JSON.stringify(result.ratios))
}
