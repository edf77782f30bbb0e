import net from 'node:net'
import type { AddressInfo } from 'node:net'

export interface ProxyTarget {
  host: string
  port: number
}

/**
 * A TCP relay in front of a real server, so a test can take that server away
 * (close), bring it back on the same port (open), or freeze the network while
 * connections stay open (stall), without touching the server itself.
 */
export class TcpProxy {
  readonly #target: ProxyTarget
  readonly #sockets = new Set<net.Socket>()
  #server: net.Server | undefined
  #port = 0
  #held: Array<() => void> | undefined

  constructor (target: ProxyTarget) {
    this.#target = target
  }

  static async start (target: ProxyTarget): Promise<TcpProxy> {
    const proxy = new TcpProxy(target)
    await proxy.open()
    return proxy
  }

  /** The local port; it stays the same across close() and open(). */
  get port (): number {
    return this.#port
  }

  async open (): Promise<void> {
    if (this.#server !== undefined) return
    const server = net.createServer((client) => this.#relay(client))
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(this.#port, '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
    this.#port = (server.address() as AddressInfo).port
    this.#server = server
  }

  /** Refuses new connections and drops every open one, as a crashed server would. */
  async close (): Promise<void> {
    const server = this.#server
    if (server === undefined) return
    this.#server = undefined
    this.#held = undefined
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    for (const socket of this.#sockets) socket.destroy()
    this.#sockets.clear()
    await closed
  }

  /** Holds every byte in both directions until resume(); connections stay open. */
  stall (): void {
    this.#held ??= []
  }

  resume (): void {
    const held = this.#held ?? []
    this.#held = undefined
    for (const send of held) send()
  }

  #relay (client: net.Socket): void {
    const upstream = net.connect(this.#target.port, this.#target.host)
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      this.#sockets.add(from)
      from.on('data', (chunk) => {
        const send = (): void => { if (!to.destroyed) to.write(chunk) }
        if (this.#held === undefined) send()
        else this.#held.push(send)
      })
      from.on('error', () => {})
      from.on('close', () => {
        this.#sockets.delete(from)
        to.destroy()
      })
    }
  }
}

/** A port that nothing listens on (it was free a moment ago). */
export async function closedPort (): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
