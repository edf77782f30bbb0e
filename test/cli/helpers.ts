import { spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { chmod, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { buildExampleApp } from '../../example/app.js'
import type { CliIo } from '../../lib/cli/io.js'
import { run } from '../../lib/cli/run.js'

export interface CliResult {
  status: number | null
  stdout: string
  stderr: string
}

export interface RunOptions {
  env?: Record<string, string | undefined>
  stdin?: string
  stdinIsTerminal?: boolean
}

/** Runs the command in this process, with its input and output in memory. */
export async function runInProcess (args: string[], options: RunOptions = {}): Promise<CliResult> {
  let stdout = ''
  let stderr = ''
  const io: CliIo = {
    env: options.env ?? {},
    stdout: (text) => { stdout += text },
    stderr: (text) => { stderr += text },
    readStdin: async () => options.stdin ?? '',
    stdinIsTerminal: options.stdinIsTerminal ?? false
  }
  const status = await run(args, io)
  return { status, stdout, stderr }
}

// The compiled command, from dist/test/cli/ where this helper runs.
export const MAIN = fileURLToPath(new URL('../../lib/cli/main.js', import.meta.url))

/** Runs `node dist/lib/cli/main.js` as a child process, as a user's shell would. */
export function runMain (args: string[], options: RunOptions = {}): Promise<CliResult> {
  // Inherited for coverage (NODE_V8_COVERAGE), minus any key of the developer's.
  const env: Record<string, string | undefined> = { ...process.env, ...options.env }
  for (const name of ['BITJWS_PRIVATE_KEY', 'BITJWS_SERVER_ADDRESS']) {
    if (options.env?.[name] === undefined) env[name] = undefined
  }

  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      env: Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined))
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
    child.on('error', reject)
    child.on('close', (status) => { resolve({ status, stdout, stderr }) })
    child.stdin.end(options.stdin ?? '')
  })
}

const directories: string[] = []
// Suites make their directories in before hooks, where node:test has no test
// context to hang a cleanup on; the files hold keys, so none outlive the run.
process.once('exit', () => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true })
})

export async function temporaryDirectory (): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'bitjws-cli-'))
  directories.push(directory)
  return directory
}

/** Writes `text` to `name` in `directory`, readable by its owner only unless `mode` says. */
export async function writeKeyFile (
  directory: string, name: string, text: string, mode = 0o600
): Promise<string> {
  const file = join(directory, name)
  await writeFile(file, text, { mode })
  await chmod(file, mode)
  return file
}

export interface Example {
  app: FastifyInstance
  url: string
  register (username: string, kid: string): Promise<void>
}

export async function startExample (): Promise<Example> {
  const app = await buildExampleApp()
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  return {
    app,
    url,
    async register (username, kid) {
      const response = await fetch(url + '/user', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, kid })
      })
      if (response.status !== 200) throw new Error(await response.text())
    }
  }
}
