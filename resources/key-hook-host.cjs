// The system-wide key hook (uiohook-napi), in a process of its own for as long as it runs: libuiohook
// can end its whole process (no X display, an X keyboard it cannot read), and that must not be the app.
// Started by the app as an Electron utility process (process.parentPort), or by Node's child_process.fork
// (process.send). Usage: key-hook-host.cjs [path to uiohook-napi]
//
// To the parent: { type: 'started' } once the hook is attached; then { type: 'keydown' | 'keyup', keycode,
// ctrlKey, altKey, shiftKey, metaKey } per key; or { type: 'error', message, code } and exit code 3.
// From the parent: { type: 'stop' }; { type: 'tap', keycode, modifiers } sends a keystroke (dictation's
// paste). It also stops when the parent goes away.
'use strict'
const parentPort = process.parentPort
const send = parentPort ? (m) => parentPort.postMessage(m) : process.send ? (m) => process.send(m) : null
if (!send) {
  process.stderr.write('key-hook-host.cjs runs as a child of the app (utilityProcess.fork or child_process.fork).\n')
  process.exit(2)
}

let hook = null
function stop() {
  try {
    hook?.stop()
  } finally {
    process.exit(0)
  }
}

const onMessage = (m) => {
  if (m && m.type === 'stop') stop()
  else if (m && m.type === 'tap' && hook && Number.isInteger(m.keycode) && Array.isArray(m.modifiers)) {
    hook.keyTap(m.keycode, m.modifiers.filter((k) => Number.isInteger(k)))
  }
}
if (parentPort) parentPort.on('message', (e) => onMessage(e.data))
else {
  process.on('message', onMessage)
  process.on('disconnect', stop)
}
// A parent that crashed says nothing: its child is handed to another process.
const parentPid = process.ppid
setInterval(() => {
  if (process.ppid !== parentPid) stop()
}, 1000).unref()

try {
  const { uIOhook } = require(process.argv[2] || 'uiohook-napi')
  const forward = (type) => (e) =>
    send({ type, keycode: e.keycode, ctrlKey: e.ctrlKey, altKey: e.altKey, shiftKey: e.shiftKey, metaKey: e.metaKey })
  uIOhook.on('keydown', forward('keydown'))
  uIOhook.on('keyup', forward('keyup'))
  uIOhook.start()
  hook = uIOhook
  send({ type: 'started' })
} catch (err) {
  const message = err instanceof Error ? err.message : String(err)
  process.stderr.write(`${message}\n`)
  send({ type: 'error', message, code: err && typeof err.code === 'string' ? err.code : undefined })
  // Let the message go out first (process.send is asynchronous).
  setTimeout(() => process.exit(3), 50)
}
