// Preloaded with `node --require` before the built main bundle: `require('electron')` gets the
// stand-in (electron.cjs next to this file), and the real `electron` package (which only knows
// where its binary is, and fetches it when missing) can never load. Uncaught exceptions and
// unhandled rejections are reported to the test over the IPC channel.
'use strict'
const Module = require('node:module')
const { join, sep } = require('node:path')

const standIn = join(__dirname, 'electron.cjs')
const realElectron = `${sep}node_modules${sep}electron${sep}`

const resolveFilename = Module._resolveFilename
Module._resolveFilename = function (request, ...rest) {
  if (request === 'electron') return standIn
  return resolveFilename.call(this, request, ...rest)
}

const load = Module._load
Module._load = function (request, ...rest) {
  if (request === 'electron') return load.call(this, standIn, ...rest)
  const resolved = Module._resolveFilename(request, ...rest)
  if (typeof resolved === 'string' && resolved.includes(realElectron)) {
    throw new Error(`stand-in electron: the real electron package was about to load (${resolved})`)
  }
  return load.call(this, request, ...rest)
}

// In Electron's main process process.type is 'browser' (electron-store reads it).
process.type = 'browser'

function send(type, err) {
  const data = { message: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined }
  process.stderr.write(`stand-in electron: ${type}: ${data.stack ?? data.message}\n`)
  if (process.connected) process.send({ type, ...data })
}

process.on('unhandledRejection', (reason) => send('unhandled-rejection', reason))
process.on('uncaughtException', (err) => {
  send('uncaught-exception', err)
  // Node would end the process here; let the report out first.
  setTimeout(() => process.exit(70), 50)
})
