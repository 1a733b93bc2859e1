import type { KeyHook } from './key-hook'

/**
 * One system-wide key hook for several shortcuts (talk, ask about the screen): loaded once, running
 * while any shortcut uses it. Each caller gets its own handle; stopping one leaves the others running.
 */
export function sharedKeyHook(load: () => Promise<KeyHook>): () => Promise<KeyHook> {
  let loading: Promise<KeyHook> | null = null
  let running = 0
  return async () => {
    loading ??= load().catch((err: unknown) => {
      loading = null // tried again by the next caller (e.g. after permission was granted)
      throw err
    })
    const hook = await loading
    let started = false
    return {
      start() {
        if (started) return
        if (running === 0) hook.start()
        running++
        started = true
      },
      stop() {
        if (!started) return
        started = false
        running--
        if (running === 0) hook.stop()
      },
      onKeyDown: (l) => hook.onKeyDown(l),
      onKeyUp: (l) => hook.onKeyUp(l)
    }
  }
}
