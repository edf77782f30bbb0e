import Fastify, { type FastifyReply } from 'fastify'
import { expect, test } from 'tstyche'
import fastifyBitjws, {
  BitjwsClientError, BitjwsError, createClient, createRedisStore, fastifyBitjws as named, sign,
  verify, type BitjwsClaims, type BitjwsResponse, type RedisStore,
  type BitjwsErrorCode, type BitjwsHeader, type BitjwsStore, type VerifyResult
} from 'fastify-bitjws'

declare module 'fastify-bitjws' {
  interface BitjwsUser {
    username: string
  }
}

test('the plugin is the default and a named export', () => {
  expect(fastifyBitjws).type.toBe(named)
  const app = Fastify()
  expect(app.register(fastifyBitjws, { basePath: '/v3', clockTolerance: 5 })).type.not.toRaiseError()
  expect(app.register(fastifyBitjws, { basePath: 3 })).type.toRaiseError()
  expect(app.register(fastifyBitjws, { networks: ['regtest'] })).type.toRaiseError()
})

test('decorators are typed', () => {
  const app = Fastify()
  expect(app.bitjws.address).type.toBe<string>()
  app.post('/echo', { preHandler: app.requireBitjws }, async (request, reply) => {
    expect(request.jwsHeader).type.toBe<BitjwsHeader | null>()
    expect(request.jwsPayload).type.toBe<BitjwsClaims | null>()
    expect(request.jwsUser?.username).type.toBe<string | undefined>()
    expect(reply.bitjws({ ok: true })).type.toBe<FastifyReply>()
    return reply.bitjws(request.jwsPayload?.data, { expiry: 60 })
  })
})

test('hooks must be async and return the documented shapes', () => {
  const app = Fastify()
  expect(app.register(fastifyBitjws, {
    getUserByKey: async (kid: string) => ({ username: kid }),
    advanceNonce: async () => true
  })).type.not.toRaiseError()
  expect(app.register(fastifyBitjws, { advanceNonce: () => true })).type.toRaiseError()
})

test('the codec is typed', () => {
  const token = sign({ aud: '/x', iat: 1 }, 'KwFfNUhSDaASSAwtG7ssQM1uVX8RgX5GHWnnLfhfiQDigjioWXHH')
  expect(token).type.toBe<string>()
  expect(verify(token, { audience: '/x' })).type.toBe<VerifyResult<BitjwsClaims>>()
  expect(verify(token, { audience: '/x', decodePayload: false }).payload).type.toBe<Buffer>()
  expect(verify(token, {})).type.toRaiseError()
  expect(new BitjwsError('ERR_BITJWS_EXPIRED', 'x').code).type.toBe<BitjwsErrorCode>()
  expect(new BitjwsError('ERR_NOT_A_CODE', 'x')).type.toRaiseError()
})

test('a store implements the interface', () => {
  const store: BitjwsStore = {
    getUserByKey: async () => null,
    advanceNonce: async () => true
  }
  expect(store).type.toBeAssignableTo<BitjwsStore>()
})

test('the client and the shared stores are typed', async () => {
  const client = createClient({ baseUrl: 'http://127.0.0.1:8002', privateKey: new Uint8Array(32) })
  expect(client.post('/echo', { a: 1 })).type.toBe<Promise<BitjwsResponse>>()
  expect(createClient({ baseUrl: 'http://x' })).type.toRaiseError()
  expect(new BitjwsClientError('ERR_BITJWS_CLIENT_HTTP', 'x').status).type.toBe<number | undefined>()
  expect(createRedisStore({ url: 'redis://127.0.0.1' })).type.toBe<Promise<RedisStore>>()
  expect(createRedisStore({ nonceTtl: '1' })).type.toRaiseError()
})
