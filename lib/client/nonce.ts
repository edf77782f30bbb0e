/**
 * The last `iat` issued per signing address, shared by every client in the
 * process: a server refuses any nonce not strictly greater than the last one
 * it accepted for a key, so two clients holding one key must not reuse a value.
 */
const lastNonces = new Map<string, number>()

/**
 * The next `iat` for `address`: the current time in integer milliseconds, as
 * bitjws-js sends it, or one more than the last value issued in this process
 * when several messages fall within one millisecond.
 *
 * Being time-based, the sequence also keeps growing across restarts, unless the
 * previous run signed more than a thousand messages a second on average or the
 * clock went back. Two processes signing with one key at the same time can
 * still collide, and a server then refuses one of the two requests; give each
 * process its own key.
 */
export function nextNonce (address: string, now: number = Date.now()): number {
  const last = lastNonces.get(address) ?? 0
  const nonce = Math.max(Math.floor(now), last + 1)
  lastNonces.set(address, nonce)
  return nonce
}
