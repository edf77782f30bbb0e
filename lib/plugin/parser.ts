import type { FastifyInstance, FastifyRequest } from 'fastify'
import { BodyTooLargeError } from './errors.js'

/**
 * Reads application/jose bodies as text, with a limit of their own: the body
 * is read before anyone is authenticated, so it stays small whatever the
 * server allows for other content types.
 */
export function addJoseParser (fastify: FastifyInstance, bodyLimit: number): void {
  fastify.addContentTypeParser('application/jose', (request: FastifyRequest, payload, done) => {
    const declared = Number(request.headers['content-length'])
    if (declared > bodyLimit) {
      done(new BodyTooLargeError(), undefined)
      return
    }

    const chunks: Buffer[] = []
    let received = 0
    let finished = false
    const finish = (error: Error | null, body?: string) => {
      if (finished) return
      finished = true
      payload.removeListener('data', onData)
      done(error, body)
    }
    const onData = (chunk: Buffer) => {
      received += chunk.length
      if (received > bodyLimit) {
        // Stop buffering at once; Fastify answers and closes the connection.
        finish(new BodyTooLargeError())
        payload.resume()
        return
      }
      chunks.push(chunk)
    }

    payload.on('data', onData)
    payload.on('end', () => finish(null, Buffer.concat(chunks, received).toString('utf8')))
    payload.on('error', (error) => finish(error))
  })
}
