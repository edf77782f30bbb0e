import type { BitjwsStore, StoredUser } from './store.js'

export interface MemoryStoreOptions {
  /** Users known from the start. */
  users?: Iterable<StoredUser>
}

/**
 * Users and nonces in this process's memory. Node runs one request's check at
 * a time between awaits, so the compare-and-advance below cannot interleave;
 * but nothing is shared with other processes, and everything is lost on exit.
 */
export class MemoryStore implements BitjwsStore<StoredUser> {
  readonly #users = new Map<string, StoredUser>()
  readonly #nonces = new Map<string, number>()

  constructor ({ users = [] }: MemoryStoreOptions = {}) {
    for (const user of users) this.#users.set(user.kid, { kid: user.kid, username: user.username })
  }

  async getUserByKey (kid: string): Promise<StoredUser | null> {
    return this.#users.get(kid) ?? null
  }

  async advanceNonce (kid: string, nonce: number): Promise<boolean> {
    if (!Number.isFinite(nonce)) return false
    const last = this.#nonces.get(kid)
    if (last !== undefined && !(nonce > last)) return false
    this.#nonces.set(kid, nonce)
    return true
  }

  async registerUser (user: StoredUser): Promise<StoredUser> {
    const stored = { kid: user.kid, username: user.username }
    this.#users.set(stored.kid, stored)
    return stored
  }

  /** How many keys have a nonce recorded; for tests and monitoring. */
  get nonceCount (): number {
    return this.#nonces.size
  }
}

export function createMemoryStore (options?: MemoryStoreOptions): MemoryStore {
  return new MemoryStore(options)
}
