import { fastifyBitjws } from './plugin/plugin.js'

export default fastifyBitjws
export { fastifyBitjws }
export type {
  BitjwsDecorator, BitjwsUser, FastifyBitjwsOptions, ReplyBitjwsOptions
} from './plugin/plugin.js'
export type { RequireBitjws } from './plugin/authenticate.js'
export * from './codec/index.js'
export { MemoryStore, createMemoryStore, type MemoryStoreOptions } from './stores/memory.js'
export {
  StoreUnavailableError, type BitjwsStore, type StoredUser
} from './stores/store.js'
export {
  BITJWS_CLIENT_ERROR_CODES, BitjwsClientError, createClient, isBitjwsClientError,
  type BitjwsClient, type BitjwsClientErrorCode, type BitjwsClientErrorDetails,
  type BitjwsResponse, type ClientOptions, type RequestMethod, type RequestOptions
} from './client/index.js'
export {
  RedisStore, createRedisStore, type CreateRedisStoreOptions, type RedisStoreOptions
} from './stores/redis.js'
export {
  PostgresStore, createPostgresStore, type CreatePostgresStoreOptions, type PostgresStoreOptions
} from './stores/postgres.js'
