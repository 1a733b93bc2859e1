import { parseAccelerator } from '../../shared/accelerator'
import type { HotkeyStatus } from '../../shared/ipc'
import type { HotkeyMode } from '../../shared/settings'
import { systemClock, type Clock } from '../../core/ports'
import { endsCombo, hookComboFor, isComboDown, type HookCombo } from './hook-keycodes'
import type { KeyHook } from './key-hook'
import { PushToTalk, type PushToTalkTarget } from './push-to-talk'

/** Electron's globalShortcut, as far as the hotkey uses it. */
export interface GlobalShortcutPort {
  register(accelerator: string, callback: () => void): boolean
  unregister(accelerator: string): void
}

export interface HotkeyControllerOptions {
  target: PushToTalkTarget
  globalShortcut: GlobalShortcutPort
  /** Loads and checks the system-wide key hook; throws (with a reason) where it cannot work. */
  loadHook: () => Promise<KeyHook>
  env?: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
  clock?: Clock
  onStatus?: (status: HotkeyStatus) => void
}

export function isWayland(env: NodeJS.ProcessEnv): boolean {
  return env.XDG_SESSION_TYPE?.toLowerCase() === 'wayland'
}

const TOGGLES_INSTEAD = 'The shortcut starts and stops recording with separate presses instead.'

/**
 * Registers the push-to-talk shortcut. Hold and hybrid need key releases, which only the key hook
 * (uiohook) reports; where it cannot run (Wayland, no permission, an unwatchable key) the shortcut
 * falls back to Electron's globalShortcut, which reports presses only, so it toggles. Every failure
 * ends up in the status's `problem`, which the window, the tray tooltip and a notification show.
 */
export class HotkeyController {
  readonly #o: HotkeyControllerOptions
  readonly #env: NodeJS.ProcessEnv
  readonly #platform: NodeJS.Platform
  #hookLoad: Promise<KeyHook> | null = null
  #teardown: Array<() => void> = []
  #status: HotkeyStatus = { accelerator: '', requestedMode: 'hybrid', activeMode: 'none' }
  #generation = 0
  #hookLost: string | undefined

  constructor(o: HotkeyControllerOptions) {
    this.#o = o
    this.#env = o.env ?? process.env
    this.#platform = o.platform ?? process.platform
  }

  status(): HotkeyStatus {
    return this.#status
  }

  /** (Re-)registers the shortcut; the previous registration is removed first. */
  async apply(accelerator: string, mode: HotkeyMode): Promise<HotkeyStatus> {
    const generation = ++this.#generation
    this.#release()
    const base = { accelerator, requestedMode: mode }

    const parsed = parseAccelerator(accelerator)
    if (typeof parsed === 'string') return this.#publish({ ...base, activeMode: 'none', problem: parsed })

    let fallbackReason: string | undefined
    if (mode !== 'toggle') {
      const combo = hookComboFor(accelerator, this.#platform)
      if (typeof combo === 'string') fallbackReason = combo
      else if (isWayland(this.#env)) {
        fallbackReason = 'On Wayland an app cannot see key releases outside its own window, so hold-to-talk is off.'
      } else if (this.#hookLost) {
        fallbackReason = this.#hookLost // this once: the next apply() tries the hook again
        this.#hookLost = undefined
      } else {
        const hookProblem = await this.#startHook(combo, mode, generation)
        if (generation !== this.#generation) return this.#status // a newer apply() took over
        if (!hookProblem) return this.#publish({ ...base, activeMode: mode })
        fallbackReason = hookProblem
      }
    }

    const ptt = new PushToTalk(this.#o.target, 'toggle', this.#o.clock ?? systemClock)
    let registered = false
    let registerError: string | undefined
    try {
      registered = this.#o.globalShortcut.register(accelerator, () => ptt.trigger())
    } catch (err) {
      registerError = (err as Error).message
    }
    if (registered) {
      this.#teardown.push(() => this.#o.globalShortcut.unregister(accelerator))
      const problem = fallbackReason ? `${fallbackReason} ${TOGGLES_INSTEAD}` : undefined
      return this.#publish({ ...base, activeMode: 'toggle', ...(problem ? { problem } : {}) })
    }
    const taken = registerError
      ? `The shortcut ${accelerator} could not be registered (${registerError}).`
      : `The shortcut ${accelerator} is already taken by another app or the desktop.`
    const problem = [fallbackReason, taken, 'Choose another shortcut in Settings.'].filter(Boolean).join(' ')
    return this.#publish({ ...base, activeMode: 'none', problem })
  }

  dispose(): void {
    this.#generation++
    this.#release()
    this.#hookLoad = null
  }

  async #startHook(combo: HookCombo, mode: HotkeyMode, generation: number): Promise<string | null> {
    let hook: KeyHook
    try {
      this.#hookLoad ??= this.#o.loadHook()
      hook = await this.#hookLoad
      if (generation !== this.#generation) return null
      this.#teardown.push(() => hook.stop()) // a newer apply() also ends a start it overtakes
      await hook.start()
      if (generation !== this.#generation) return null
    } catch (err) {
      if (generation !== this.#generation) return null
      this.#hookLoad = null // try again on the next apply (e.g. after permission was granted)
      return this.#hookProblem(err)
    }
    const ptt = new PushToTalk(this.#o.target, mode, this.#o.clock ?? systemClock)
    const offDown = hook.onKeyDown((e) => {
      if (isComboDown(combo, e)) ptt.keyDown()
    })
    const offUp = hook.onKeyUp((e) => {
      if (ptt.isDown && endsCombo(combo, e)) ptt.keyUp()
    })
    // The hook's process died: fall back to toggling, and say so.
    const offLost = hook.onLost((reason) => {
      if (generation !== this.#generation) return
      this.#hookLost = `Hold-to-talk stopped: ${reason.replace(/\.$/, '')}.`
      void this.apply(this.#status.accelerator, mode)
    })
    this.#teardown.push(offDown, offUp, offLost)
    return null
  }

  #hookProblem(err: unknown): string {
    const message = err instanceof Error ? err.message : String(err)
    if (this.#platform === 'darwin') {
      return 'Hold-to-talk needs permission to watch the keyboard: allow MiMo Voice in System Settings > Privacy & Security > Accessibility (and Input Monitoring), then restart it.'
    }
    return `Hold-to-talk could not start: ${message.replace(/\.$/, '')}.`
  }

  #release(): void {
    const steps = this.#teardown
    this.#teardown = []
    for (const step of steps.reverse()) {
      try {
        step()
      } catch {
        // A hook that already stopped, or a shortcut already gone: nothing left to undo.
      }
    }
  }

  #publish(status: HotkeyStatus): HotkeyStatus {
    this.#status = status
    this.#o.onStatus?.(status)
    return status
  }
}
