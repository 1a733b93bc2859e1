// Preloaded (node --require) into the stand-in's utility processes, which are plain Node children:
// Electron's process.parentPort, over Node's IPC channel. Messages arrive as { data }, as in Electron.
'use strict'
const { EventEmitter } = require('node:events')

const parentPort = new EventEmitter()
parentPort.postMessage = (message) => process.send(message)
process.on('message', (data) => parentPort.emit('message', { data }))
process.parentPort = parentPort
