import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { runE2eBench } from './e2e.js'

// `npm run bench:profile`: loads the bare-recovery route and the bitjws server
// once each under --cpu-prof and writes where each spends its time to
// bench/results/profile.md, so that the gap between them can be read
// function by function rather than guessed.

interface ProfileNode { id: number, callFrame: { functionName: string, url: string } }
interface CpuProfile { nodes: ProfileNode[], samples: number[], timeDeltas: number[] }

const resultsDir = fileURLToPath(new URL('../../bench/results/', import.meta.url))
const TOP = 18

const result = await runE2eBench({ scenarios: ['recover', 'bitjws'], rounds: 1, profileDir: resultsDir })
const lines = [
  '# Where the servers spend their time',
  '',
  `One run of each server under \`--cpu-prof\`, ${new Date().toISOString().slice(0, 10)}, ` +
    `Node ${process.version}: self time of the ${TOP} costliest functions, as a share of all ` +
    'samples (warm-up included). Regenerate with `npm run bench:profile`.',
  ''
]
for (const scenario of result.scenarios) {
  const profile = JSON.parse(
    readFileSync(`${resultsDir}${scenario.name}-server.cpuprofile`, 'utf8')
  ) as CpuProfile
  lines.push(`## ${scenario.title}`, '',
    `${scenario.requestsPerSecond} requests per second, ` +
      `${scenario.cpu.serverMicrosecondsPerRequest} µs of server CPU per request.`, '',
    '| share | function | where |', '| ---: | --- | --- |',
    ...summarize(profile).map(([share, name, where]) => `| ${share} | ${name} | ${where} |`), '')
}
writeFileSync(`${resultsDir}profile.md`, lines.join('\n'))
console.log('written to bench/results/profile.md')

function summarize (profile: CpuProfile): Array<[string, string, string]> {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
  const selfTime = new Map<string, number>()
  let total = 0
  profile.samples.forEach((id, index) => {
    const frame = nodes.get(id)?.callFrame
    const where = frame?.url.split('/').slice(-2).join('/') ?? ''
    const key = `${frame?.functionName || '(anonymous)'}\t${where}`
    const delta = profile.timeDeltas[index] ?? 0
    selfTime.set(key, (selfTime.get(key) ?? 0) + delta)
    total += delta
  })
  return [...selfTime.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP)
    .map(([key, time]) => {
      const [name = '', where = ''] = key.split('\t')
      return [`${(time / total * 100).toFixed(1)}%`, `\`${name}\``, where || 'native or V8']
    })
}
