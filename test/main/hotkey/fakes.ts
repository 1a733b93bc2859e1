import type { AssistantPhase } from '../../../src/shared/assistant'
import type { HookKeyEvent } from '../../../src/main/hotkey/hook-keycodes'
import type { GlobalShortcutPort } from '../../../src/main/hotkey/hotkey-controller'
import type { KeyHook } from '../../../src/main/hotkey/key-hook'
import type { PushToTalkTarget } from '../../../src/main/hotkey/push-to-talk'

/** Records the push-to-talk calls and follows the phase the way the assistant would. */
export class RecordingTarget implements PushToTalkTarget {
  calls: string[] = []
  current: AssistantPhase = 'idle'
  press() {
    this.calls.push('press')
    this.current = 'recording'
  }
  release() {
    this.calls.push('release')
    if (this.current === 'recording') this.current = 'thinking'
  }
  toggle() {
    this.calls.push('toggle')
    this.current = this.current === 'recording' ? 'thinking' : 'recording'
  }
  phase() {
    return this.current
  }
}

export class FakeClock {
  t = 1_000
  now = () => this.t
  advance(ms: number) {
    this.t += ms
  }
}

/** Electron's globalShortcut, by hand: one callback per accelerator, some accelerators taken by others. */
export class FakeGlobalShortcut implements GlobalShortcutPort {
  registered = new Map<string, () => void>()
  taken = new Set<string>()
  register(accelerator: string, callback: () => void): boolean {
    if (this.taken.has(accelerator) || this.registered.has(accelerator)) return false
    this.registered.set(accelerator, callback)
    return true
  }
  unregister(accelerator: string): void {
    this.registered.delete(accelerator)
  }
  press(accelerator: string): void {
    this.registered.get(accelerator)?.()
  }
}

/** A key hook driven by the test: emits events to whoever listens, can refuse to start, can be lost. */
export class FakeKeyHook implements KeyHook {
  running = false
  starts = 0
  failStart: Error | null = null
  /** Set to hold start() until the test calls the function it is given. */
  holdStart: ((finish: () => void) => void) | null = null
  down = new Set<(e: HookKeyEvent) => void>()
  up = new Set<(e: HookKeyEvent) => void>()
  lost = new Set<(reason: string) => void>()
  #stops = 0
  async start() {
    this.starts++
    const stops = this.#stops
    if (this.holdStart) await new Promise<void>((finish) => this.holdStart!(finish))
    if (this.failStart) throw this.failStart
    if (stops !== this.#stops) throw new Error('the key hook was stopped as it started') // as HostKeyHook does
    this.running = true
  }
  stop() {
    this.#stops++
    this.running = false
  }
  onLost(l: (reason: string) => void) {
    this.lost.add(l)
    return () => this.lost.delete(l)
  }
  /** The hook's process died. */
  lose(reason: string) {
    this.running = false
    for (const l of [...this.lost]) l(reason)
  }
  onKeyDown(l: (e: HookKeyEvent) => void) {
    this.down.add(l)
    return () => this.down.delete(l)
  }
  onKeyUp(l: (e: HookKeyEvent) => void) {
    this.up.add(l)
    return () => this.up.delete(l)
  }
  emitDown(keycode: number, mods: Partial<HookKeyEvent> = {}) {
    if (!this.running) return
    const e = { keycode, ctrlKey: false, altKey: false, shiftKey: false, metaKey: false, ...mods }
    for (const l of [...this.down]) l(e)
  }
  emitUp(keycode: number, mods: Partial<HookKeyEvent> = {}) {
    if (!this.running) return
    const e = { keycode, ctrlKey: false, altKey: false, shiftKey: false, metaKey: false, ...mods }
    for (const l of [...this.up]) l(e)
  }
}

export const CTRL = 0x001d
export const ALT = 0x0038
export const SPACE = 0x0039
const held = { ctrlKey: true, altKey: true }

/** Ctrl+Alt+Space pressed the way X delivers it: modifiers first, then the key (with auto-repeat). */
export function pressCombo(hook: FakeKeyHook, repeats = 0) {
  hook.emitDown(CTRL, { ctrlKey: true })
  hook.emitDown(ALT, held)
  for (let i = 0; i <= repeats; i++) hook.emitDown(SPACE, held)
}

/** Released modifiers first (as xdotool does), then a stray repeat of the key, then the key. */
export function releaseCombo(hook: FakeKeyHook) {
  hook.emitUp(CTRL, { altKey: true })
  hook.emitUp(ALT)
  hook.emitDown(SPACE)
  hook.emitUp(SPACE)
}
