// The public type surface: the declarations that tsc emits from lib/, whose
// plugin module also augments FastifyInstance, FastifyRequest and FastifyReply.
export * from '../dist/lib/index.js'
export { default } from '../dist/lib/index.js'
