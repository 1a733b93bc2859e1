#!/usr/bin/env node
// Entry of the `mimo-voice` command; the bundle is made by `npm run build`.
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const bundle = fileURLToPath(new URL('../out/cli/mimo-voice.mjs', import.meta.url))
if (!existsSync(bundle)) {
  process.stderr.write('mimo-voice is not built yet: run `npm run build` (or `npm run build:cli`) first.\n')
  process.exit(2)
}
const { main } = await import(pathToFileURL(bundle).href)
process.exitCode = await main(process.argv.slice(2))
