/**
 * The tail of the line of signed requests per signing address, shared by every
 * client in the process. A server refuses a nonce that is not greater than the
 * last one it accepted, so two requests in flight at once with one key can
 * overtake each other on separate connections and the older one is refused.
 * Each signed request therefore waits until the one before it has an answer.
 */
const lines = new Map<string, Promise<void>>()

export interface Turn {
  /** Settles when every earlier request with the key has its answer. */
  ready: Promise<void>
  /** Lets the next request go; call it once, whatever happened. */
  release (): void
}

export function takeTurn (address: string): Turn {
  // Every promise in a line only ever resolves, so nothing here can reject.
  const previous = lines.get(address) ?? Promise.resolve()
  let release!: () => void
  const done = new Promise<void>(resolve => { release = resolve })
  const tail = previous.then(() => done)
  lines.set(address, tail)
  // Forget an idle key, so that the map holds only keys with requests pending.
  tail.then(() => { if (lines.get(address) === tail) lines.delete(address) })
  return { ready: previous, release }
}

/** Waits for `turn` unless `signal` aborts first; rejects with the abort reason then. */
export function waitForTurn (turn: Turn, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted()
  return new Promise((resolve, reject) => {
    const onAbort = (): void => { reject(signal.reason) }
    signal.addEventListener('abort', onAbort, { once: true })
    turn.ready.then(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    })
  })
}
