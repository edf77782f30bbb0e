import {
  decodeAddress, SigningKey, type Network, type PrivateKeyInput
} from '../codec/index.js'

/** Options of {@link createClient}. */
export interface ClientOptions {
  /**
   * Where the API lives: an http or https origin, optionally with a path prefix
   * (`https://api.example.com/v3`) that is put in front of every request path.
   */
  baseUrl: string | URL
  /** The key that signs every request: WIF, 32 raw bytes, or a `SigningKey`. */
  privateKey: PrivateKeyInput | SigningKey
  /**
   * The address the server signs its replies with. When set, a reply signed by
   * any other key is refused with `ERR_BITJWS_CLIENT_SERVER_MISMATCH`; the
   * request itself may have been carried out by then. Without it a reply is
   * checked for integrity only: anyone may have signed it. Default: none.
   */
  serverAddress?: string
  /**
   * What the server puts in front of its route paths when it checks `aud`.
   * Default: the path of `baseUrl` (`''` for a bare origin), so that `aud` is the
   * path actually requested.
   */
  basePath?: string
  /** Milliseconds allowed for the whole call, reply body included. Default: 30000. */
  timeout?: number
  /** Seconds after signing when a request expires (its `exp`). Default: 3600. */
  expireAfter?: number
  /**
   * Networks whose addresses may sign replies. Default: the network of
   * `serverAddress` when it is given, otherwise `['mainnet']`.
   */
  networks?: readonly Network[]
  /** Seconds of clock skew forgiven when checking a reply's `exp`. Default: 0. */
  clockTolerance?: number
  /** The fetch implementation. Default: Node's built-in `fetch`. */
  fetch?: typeof globalThis.fetch
}

export interface ClientSettings {
  origin: string
  /** The path of `baseUrl` without its trailing slash; `''` for an origin. */
  prefixPath: string
  basePath: string
  key: SigningKey
  serverAddress: string | undefined
  timeout: number
  expireAfter: number
  networks: readonly Network[]
  clockTolerance: number
  fetch: typeof globalThis.fetch
}

export const DEFAULT_TIMEOUT = 30_000
export const DEFAULT_EXPIRE_AFTER = 3600
// setTimeout, behind AbortSignal.timeout, fires at once for anything larger.
const MAX_TIMEOUT = 2 ** 31 - 1

export function checkClientOptions (options: ClientOptions): ClientSettings {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('The client options must be an object')
  }

  const base = checkBaseUrl(options.baseUrl)
  const prefixPath = base.pathname.replace(/\/+$/, '')
  const serverAddress = checkServerAddress(options.serverAddress)
  const fetchFunction = options.fetch ?? globalThis.fetch
  if (typeof fetchFunction !== 'function') {
    throw new TypeError('The `fetch` option must be a function')
  }

  return {
    origin: base.origin,
    prefixPath,
    basePath: options.basePath === undefined ? prefixPath : checkBasePath(options.basePath),
    key: checkPrivateKey(options.privateKey),
    serverAddress,
    timeout: checkTimeout(options.timeout ?? DEFAULT_TIMEOUT),
    expireAfter: checkExpireAfter(options.expireAfter ?? DEFAULT_EXPIRE_AFTER),
    networks: checkNetworks(options.networks, serverAddress),
    clockTolerance: checkClockTolerance(options.clockTolerance ?? 0),
    fetch: fetchFunction
  }
}

export function checkTimeout (timeout: unknown): number {
  if (!Number.isInteger(timeout) || (timeout as number) < 1 || (timeout as number) > MAX_TIMEOUT) {
    throw new TypeError(
      `The \`timeout\` option must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT}.`
    )
  }
  return timeout as number
}

export function checkExpireAfter (expireAfter: unknown): number {
  if (typeof expireAfter !== 'number' || !Number.isFinite(expireAfter) || expireAfter <= 0) {
    throw new TypeError('The `expireAfter` option must be a finite, positive number of seconds.')
  }
  return expireAfter
}

function checkBaseUrl (baseUrl: unknown): URL {
  let url: URL | undefined
  try {
    url = new URL(baseUrl as string)
  } catch {}
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.search !== '' || url.hash !== '') {
    throw new TypeError(
      'The `baseUrl` option must be an http or https URL without a query or fragment.'
    )
  }
  return url
}

function checkBasePath (basePath: unknown): string {
  if (typeof basePath !== 'string' || !/^(?:\/[^?#]*[^/?#])?$/.test(basePath)) {
    throw new TypeError(
      'The `basePath` option must be empty or a path that starts but does not end with "/".'
    )
  }
  return basePath
}

function checkPrivateKey (privateKey: unknown): SigningKey {
  if (privateKey instanceof SigningKey) return privateKey
  try {
    return new SigningKey(privateKey as PrivateKeyInput)
  } catch (error) {
    // The message stays generic: the rejected value is a secret and must not be echoed.
    throw new TypeError(
      'The `privateKey` option must be a WIF private key, 32 bytes, or a SigningKey.',
      { cause: error }
    )
  }
}

function checkServerAddress (serverAddress: unknown): string | undefined {
  if (serverAddress === undefined) return undefined
  try {
    decodeAddress(serverAddress as string)
  } catch (error) {
    throw new TypeError(
      'The `serverAddress` option must be a P2PKH address.', { cause: error }
    )
  }
  return serverAddress as string
}

function checkNetworks (networks: unknown, serverAddress: string | undefined): readonly Network[] {
  if (networks === undefined) {
    return serverAddress === undefined ? ['mainnet'] : [decodeAddress(serverAddress).network]
  }
  if (!Array.isArray(networks) || networks.length === 0 ||
    !networks.every(network => network === 'mainnet' || network === 'testnet')) {
    throw new TypeError(
      'The `networks` option must be a non-empty array of "mainnet" and "testnet".'
    )
  }
  return [...networks]
}

function checkClockTolerance (clockTolerance: unknown): number {
  if (typeof clockTolerance !== 'number' || !Number.isFinite(clockTolerance) ||
    clockTolerance < 0) {
    throw new TypeError('The `clockTolerance` option must be a finite, non-negative number.')
  }
  return clockTolerance
}
