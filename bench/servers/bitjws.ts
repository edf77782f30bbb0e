import { buildExampleApp } from '../../example/app.js'
import { serve } from './serve.js'

// The example API as it ships, with its default memory store; the runner
// registers its keys through POST /user before loading POST /echo.
const app = await buildExampleApp({ logger: false })

await serve(app)
