// Starts and stops the key hook once, in a process of its own: where the hook cannot attach (for
// example, no X display) the native library aborts its whole process, and that must not be the app.
// Exit 0: the hook works here. Usage: hook-probe.cjs [path to uiohook-napi]
'use strict'
try {
  const { uIOhook } = require(process.argv[2] || 'uiohook-napi')
  uIOhook.start()
  setTimeout(() => {
    uIOhook.stop()
    process.exit(0)
  }, 100)
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(3)
}
