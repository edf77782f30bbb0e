import { createHash } from 'node:crypto'
import Fastify from 'fastify'
import { secp256k1 } from '../../lib/codec/native.js'
import { serve } from './serve.js'

// The floor that the protocol's cryptography sets: every bitjws request costs
// one public-key recovery (the request) and one signature (the reply). Here
// they run bare, on fixed inputs, with no encoding, hashing or key lookup.
const privateKey = Buffer.alloc(32, 7)
const digest = createHash('sha256').update('fastify-bitjws benchmark').digest()
const { signature, recid } = secp256k1.ecdsaSign(digest, privateKey)

const app = Fastify({ logger: false })
app.post('/echo', async (request) => {
  secp256k1.ecdsaRecover(signature, recid, digest, true)
  secp256k1.ecdsaSign(digest, privateKey)
  return request.body
})

await serve(app)
