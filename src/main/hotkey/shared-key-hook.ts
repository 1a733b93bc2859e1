import type { KeyHook } from './key-hook'

/**
 * One system-wide key hook (one host process) for several shortcuts: talk, ask about the screen,
 * dictation (and dictation's paste keystroke, sent through the host).
 * Each caller gets its own handle. The hook runs while any handle has it started; a start that failed
 * answers every handle that had not tried it yet with the same failure (one host launch, one reason),
 * and a handle that saw it fail starts a new attempt.
 */
export function sharedKeyHook(load: () => Promise<KeyHook>): () => Promise<KeyHook> {
  let loading: Promise<KeyHook> | null = null
  let running = 0
  let attempt: { id: number; promise: Promise<void>; failed: boolean } | null = null
  let attempts = 0
  return async () => {
    loading ??= load().catch((err: unknown) => {
      loading = null // tried again by the next caller (e.g. after permission was granted)
      throw err
    })
    const hook = await loading
    let started: Promise<void> | null = null
    let seen = 0
    return {
      start() {
        if (started) return started
        if (!attempt || (attempt.failed && seen === attempt.id)) {
          const a = { id: ++attempts, promise: hook.start(), failed: false }
          a.promise.catch(() => {
            a.failed = true
          })
          attempt = a
        }
        const a = attempt
        seen = a.id
        if (a.failed) return a.promise
        running++
        const mine: Promise<void> = a.promise.catch((err: unknown) => {
          if (started === mine) {
            started = null
            running--
          }
          throw err
        })
        started = mine
        return mine
      },
      stop() {
        if (!started) return
        started = null
        running--
        if (running === 0) {
          attempt = null
          hook.stop()
        }
      },
      onKeyDown: (l) => hook.onKeyDown(l),
      onKeyUp: (l) => hook.onKeyUp(l),
      onLost: (l) => hook.onLost(l),
      ...(hook.keyTap ? { keyTap: (keycode: number, modifiers: number[]) => hook.keyTap!(keycode, modifiers) } : {})
    }
  }
}
