import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import sensible from '@fastify/sensible'
import fastifyBitjws, { isAddress, type BitjwsStore, type StoredUser } from '../lib/index.js'

export interface ExampleOptions {
  /** Users and nonces. Default: the plugin's in-memory store. */
  store?: BitjwsStore<StoredUser>
  /** The server's signing key as WIF. Default: a random key. */
  privateKey?: string
  basePath?: string
  logger?: FastifyServerOptions['logger']
}

interface Coin {
  id: number
  metal: string
  mint: string
  owner: string
}

/**
 * The example API of the original Flask extension, on Fastify: coins anyone can
 * list, coins and echoes only registered keys can post.
 */
export async function buildExampleApp (options: ExampleOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false })
  await app.register(sensible)
  await app.register(fastifyBitjws, {
    ...(options.store === undefined ? {} : { store: options.store }),
    ...(options.privateKey === undefined ? {} : { privateKey: options.privateKey }),
    ...(options.basePath === undefined ? {} : { basePath: options.basePath })
  })

  const coins: Coin[] = []

  app.get('/coin', async (_request, reply) => reply.bitjws(coins))

  app.post('/coin', { preHandler: app.requireBitjws }, async (request, reply) => {
    const data = request.jwsPayload?.data as { metal?: unknown, mint?: unknown } | undefined
    if (typeof data?.metal !== 'string' || typeof data.mint !== 'string') {
      throw app.httpErrors.badRequest('data must carry the strings metal and mint')
    }
    const coin = {
      id: coins.length + 1,
      metal: data.metal,
      mint: data.mint,
      owner: (request.jwsUser as StoredUser).username
    }
    coins.push(coin)
    return reply.bitjws(coin)
  })

  app.post('/echo', { preHandler: app.requireBitjws }, async (request, reply) =>
    reply.bitjws(request.jwsPayload?.data))

  app.post('/echodetails', { preHandler: app.requireBitjws }, async (request, reply) =>
    reply.bitjws({
      headers: request.headers,
      jwsHeader: request.jwsHeader,
      jwsPayload: request.jwsPayload
    }))

  app.post('/user', {
    schema: {
      body: {
        type: 'object',
        required: ['username', 'kid'],
        additionalProperties: false,
        properties: {
          username: { type: 'string', minLength: 1, maxLength: 64 },
          kid: { type: 'string', maxLength: 64 }
        }
      }
    }
  }, async (request) => {
    const { username, kid } = request.body as StoredUser
    if (!isAddress(kid, ['mainnet'])) throw app.httpErrors.badRequest('kid must be a P2PKH address')

    const store = app.bitjws.store as BitjwsStore<StoredUser>
    if (store.registerUser === undefined) throw app.httpErrors.notImplemented()
    return store.registerUser({ username, kid })
  })

  return app
}
