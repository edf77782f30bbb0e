#!/usr/bin/env node
import { text } from 'node:stream/consumers'
import { run } from './run.js'

// exitCode rather than process.exit(), so that piped output is flushed first.
process.exitCode = await run(process.argv.slice(2), {
  env: process.env,
  stdout: (output) => { process.stdout.write(output) },
  stderr: (output) => { process.stderr.write(output) },
  readStdin: () => text(process.stdin),
  stdinIsTerminal: process.stdin.isTTY === true
})
