// Plain JavaScript on purpose: @fastify/jwt augments Fastify's types for the
// whole TypeScript program, and the project's own sources must not see that.
import { generateKeyPairSync } from 'node:crypto'
import Fastify from 'fastify'
import fastifyJwt from '@fastify/jwt'

if (process.send === undefined) {
  throw new Error('A benchmark server must be started by bench/e2e.js with an IPC channel')
}
process.once('disconnect', () => process.exit(0))
// Answers as serve.ts does; the runner compares servers' CPU time per request.
process.on('message', (message) => {
  if (message === 'cpu-usage') process.send({ cpuUsage: process.cpuUsage() })
})

// The usual alternative: a bearer JWT signed with ECDSA P-256. The verifier's
// cache stays off, so that every request pays for its verification as a
// bitjws request does.
const { privateKey, publicKey } = generateKeyPairSync('ec', {
  namedCurve: 'P-256',
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' }
})

const app = Fastify({ logger: false })
await app.register(fastifyJwt, {
  secret: { private: privateKey, public: publicKey },
  sign: { algorithm: 'ES256', expiresIn: '1h' },
  verify: { algorithms: ['ES256'], cache: false }
})
app.post('/echo', { onRequest: async (request) => { await request.jwtVerify() } },
  async (request) => request.body)

await app.listen({ host: '127.0.0.1', port: 0 })
process.send({ port: app.server.address().port, token: app.jwt.sign({ sub: 'bench' }) })
