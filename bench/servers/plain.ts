import Fastify from 'fastify'
import { serve } from './serve.js'

// The framework's ceiling: parse a JSON body, serialize it back.
const app = Fastify({ logger: false })
app.post('/echo', async (request) => request.body)

await serve(app)
