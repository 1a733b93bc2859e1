// Runs the command from source (`npx tsx src/cli/run.ts ...`); the built bin is bin/mimo-voice.mjs.
import { main } from './index'

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`)
    process.exitCode = 1
  }
)
