import { createRequire } from 'node:module'
import { cpus } from 'node:os'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { SigningKey, messageDigest, sign, verify } from '../lib/codec/index.js'
import { secp256k1 as addon } from '../lib/codec/native.js'

// The baseline is the `secp256k1` package's own native API, as a user would
// call it; the codec calls the addon beneath it (lib/codec/native.ts), and the
// third pair shows how much of the difference that alone makes.
const secp256k1 = createRequire(import.meta.url)('secp256k1/bindings.js') as typeof addon

export interface CodecBenchResult {
  node: string
  cpu: string
  date: string
  /** Seconds each case ran for, in rounds alternating with its baseline. */
  seconds: number
  /** Medians over the rounds. */
  opsPerSecond: {
    verify: number
    ecdsaRecover: number
    addonRecover: number
    sign: number
    ecdsaSign: number
  }
  /** Medians of the per-round ratios. */
  ratios: {
    /** verify() against a bare key recovery of the same signature: the target is ≥ 0.9. */
    verifyToRecover: number
    /** verify() against the addon's recovery without the package's argument checks. */
    verifyToAddonRecover: number
    signToEcdsaSign: number
  }
}

interface Round {
  operations: number
  elapsed: number
}

function runFor (milliseconds: number, run: () => unknown): Round {
  let operations = 0
  const start = performance.now()
  const deadline = start + milliseconds
  let now = start
  // Reading the clock every call would weigh on the fastest cases; batch instead.
  while (now < deadline) {
    for (let index = 0; index < 32; index++) run()
    operations += 32
    now = performance.now()
  }
  return { operations, elapsed: now - start }
}

function median (values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1
    ? sorted[middle] as number
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

/**
 * Ops/s of a case and of its baseline, and their ratio. They take turns in short
 * rounds and the medians are kept, so that bursts of load from other processes
 * on a shared machine neither favour one side nor skew the ratio.
 */
function measurePair (
  seconds: number, subject: () => unknown, baseline: () => unknown
): { subject: number, baseline: number, ratio: number } {
  const rounds = Math.max(3, Math.round(seconds * 20))
  const roundMilliseconds = (seconds * 1000) / rounds
  runFor(200, subject)
  runFor(200, baseline)

  const subjectRates: number[] = []
  const baselineRates: number[] = []
  const ratios: number[] = []
  for (let round = 0; round < rounds; round++) {
    const first = runFor(roundMilliseconds, subject)
    const second = runFor(roundMilliseconds, baseline)
    subjectRates.push(first.operations / (first.elapsed / 1000))
    baselineRates.push(second.operations / (second.elapsed / 1000))
    ratios.push(subjectRates[round]! / baselineRates[round]!)
  }
  return { subject: median(subjectRates), baseline: median(baselineRates), ratio: median(ratios) }
}

/**
 * Times the codec against bare libsecp256k1 calls on the same inputs, in one
 * process, so that the ratios show the codec's own overhead.
 */
export function runCodecBench ({ seconds = 2 }: { seconds?: number } = {}): CodecBenchResult {
  const key = new SigningKey(Buffer.alloc(32, 1))
  // A request-sized message: the payload of a typical authenticated call.
  const claims = {
    aud: '/v3/accounts/1/transfers',
    exp: 2 ** 31,
    iat: 1_700_000_000_000,
    data: { amount: '12.5', currency: 'BTC', note: 'monthly rent' }
  }
  const token = sign(claims, key)
  const options = { audience: claims.aud }

  const [header, payload, signatureSegment] = token.split('.') as [string, string, string]
  const signature = Buffer.from(
    Buffer.from(signatureSegment, 'base64url').toString('latin1'), 'base64'
  )
  const digest = messageDigest(header + '.' + payload)
  const compact = signature.subarray(1)
  const recid = ((signature[0] as number) - 27) & 3
  const privateKey = Buffer.alloc(32, 1)

  const verifying = measurePair(
    seconds,
    () => verify(token, options).header.kid.length,
    () => secp256k1.ecdsaRecover(compact, recid, digest, true)[1] as number
  )
  const verifyingOnAddon = measurePair(
    seconds,
    () => verify(token, options).header.kid.length,
    () => addon.ecdsaRecover(compact, recid, digest, true)[1] as number
  )
  const signing = measurePair(
    seconds,
    () => sign(claims, key).length,
    () => secp256k1.ecdsaSign(digest, privateKey).recid
  )

  return {
    node: process.version,
    cpu: `${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
    date: new Date().toISOString(),
    seconds,
    opsPerSecond: {
      verify: Math.round(verifying.subject),
      ecdsaRecover: Math.round(verifying.baseline),
      addonRecover: Math.round(verifyingOnAddon.baseline),
      sign: Math.round(signing.subject),
      ecdsaSign: Math.round(signing.baseline)
    },
    ratios: {
      verifyToRecover: Number(verifying.ratio.toFixed(3)),
      verifyToAddonRecover: Number(verifyingOnAddon.ratio.toFixed(3)),
      signToEcdsaSign: Number(signing.ratio.toFixed(3))
    }
  }
}

function printResult (result: CodecBenchResult): void {
  const { opsPerSecond: ops, ratios } = result
  console.log(`codec micro-benchmark: ${result.node}, ${result.cpu}, ${result.date}`)
  console.log(`  verify()           ${ops.verify.toLocaleString('en')} ops/s`)
  console.log(`  bare ecdsaRecover  ${ops.ecdsaRecover.toLocaleString('en')} ops/s`)
  console.log(`  addon recovery     ${ops.addonRecover.toLocaleString('en')} ops/s`)
  console.log(`  sign()             ${ops.sign.toLocaleString('en')} ops/s`)
  console.log(`  bare ecdsaSign     ${ops.ecdsaSign.toLocaleString('en')} ops/s`)
  console.log(`  verify / recover   ${ratios.verifyToRecover} (target ≥ 0.9)`)
  console.log(`  verify / addon     ${ratios.verifyToAddonRecover}`)
  console.log(`  sign / ecdsaSign   ${ratios.signToEcdsaSign}`)
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = runCodecBench()
  printResult(result)
}
