/** A user as the first-party stores keep it: a name and the key that signs for it. */
export interface StoredUser {
  /** The user's Bitcoin address, the `kid` of every message the user signs. */
  kid: string
  username: string
}

/**
 * Where the plugin keeps users and nonces. The memory store serves one process;
 * the Redis and PostgreSQL stores let many processes and hosts act as one.
 */
export interface BitjwsStore<User = StoredUser> {
  /** The user behind `kid`, or null for a key nobody registered. */
  getUserByKey (kid: string): Promise<User | null | undefined>

  /**
   * Records `nonce` as the last one seen for `kid` if, and only if, it is
   * strictly greater than the one recorded before; resolves whether it did.
   * The comparison and the write must be one atomic step: two requests with the
   * same nonce racing each other must not both see `true`.
   */
  advanceNonce (kid: string, nonce: number): Promise<boolean>

  /** Adds or replaces the user for `user.kid`. */
  registerUser? (user: StoredUser): Promise<User>

  /** Releases connections. The plugin calls it on close only for stores it created. */
  close? (): Promise<void>
}

/** Thrown by a store that cannot answer; the plugin turns it into a 503. */
export class StoreUnavailableError extends Error {
  readonly code = 'ERR_BITJWS_STORE_UNAVAILABLE'

  constructor (message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'StoreUnavailableError'
  }
}
