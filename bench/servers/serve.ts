import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'

/** The runner's question: how much CPU time has this server used so far. */
export const CPU_USAGE_QUESTION = 'cpu-usage'

/** The answer: process.cpuUsage() of the server, in microseconds. */
export interface CpuUsageAnswer {
  cpuUsage: { user: number, system: number }
}

/** What a server child tells the runner once it listens. */
export interface ServerReady {
  port: number
  /** A bearer token, from servers that authenticate with one (jwt.mjs). */
  token?: string
}

/**
 * Listens on an ephemeral loopback port and reports it over IPC. The server
 * exits when the runner disconnects, so that a runner that dies never leaves
 * a server behind, and a normal exit lets --cpu-prof write its profile.
 */
export async function serve (app: FastifyInstance): Promise<void> {
  if (process.send === undefined) {
    throw new Error('A benchmark server must be started by bench/e2e.js with an IPC channel')
  }
  process.once('disconnect', () => process.exit(0))
  answerCpuUsage()

  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  process.send({ port } satisfies ServerReady)
}

/**
 * Answers the runner's CPU question: on a small machine the load generator
 * and the server compete for cores, and the server's CPU time per request
 * shows its cost where requests per second alone can mislead.
 */
export function answerCpuUsage (): void {
  process.on('message', (message) => {
    if (message === CPU_USAGE_QUESTION) {
      process.send?.({ cpuUsage: process.cpuUsage() } satisfies CpuUsageAnswer)
    }
  })
}
