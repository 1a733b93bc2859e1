import type { ModeShortcutStatus } from '../../shared/modes'
import { parseAccelerator } from '../../shared/accelerator'
import type { Clock } from '../../core/ports'
import { HotkeyController, isWayland, type GlobalShortcutPort } from './hotkey-controller'
import type { KeyHook } from './key-hook'
import type { PushToTalkTarget } from './push-to-talk'

export interface ModeShortcutsOptions {
  /** The conversation's own shortcut starts and ends it (presses only). */
  conversation: { toggle(): unknown }
  /** Dictation's shortcut: hold or tap, like the talk shortcut. */
  dictation: PushToTalkTarget
  globalShortcut: GlobalShortcutPort
  /** The key hook, shared with the talk shortcut (see shared-key-hook.ts). */
  loadHook: () => Promise<KeyHook>
  env?: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
  clock?: Clock
  onStatus?: (s: { conversation: ModeShortcutStatus | null; dictation: ModeShortcutStatus | null }) => void
}

/**
 * The conversation's and dictation's own shortcuts. Dictation watches key releases through the key
 * hook (hold to dictate) and falls back to presses only (tap on, tap off) where the hook cannot run.
 * On X11 the hook only listens, so the focused window would get the keystroke too (and a terminal
 * would type it): the shortcut is also grabbed as a global shortcut, which swallows it.
 */
export class ModeShortcuts {
  readonly #o: ModeShortcutsOptions
  readonly #dictation: HotkeyController
  #dictationStatus: ModeShortcutStatus | null = null
  #conversationStatus: ModeShortcutStatus | null = null
  #undo: Array<() => void> = []
  #generation = 0

  constructor(o: ModeShortcutsOptions) {
    this.#o = o
    this.#dictation = new HotkeyController({
      target: o.dictation,
      globalShortcut: o.globalShortcut,
      loadHook: o.loadHook,
      env: o.env,
      platform: o.platform,
      clock: o.clock
    })
  }

  status(): { conversation: ModeShortcutStatus | null; dictation: ModeShortcutStatus | null } {
    return { conversation: this.#conversationStatus, dictation: this.#dictationStatus }
  }

  async apply(s: { conversationHotkey: string | null; dictationHotkey: string | null }): Promise<void> {
    const generation = ++this.#generation
    this.#release()
    this.#conversationStatus = s.conversationHotkey ? this.#registerConversation(s.conversationHotkey) : null
    if (!s.dictationHotkey) {
      this.#dictation.dispose()
      this.#dictationStatus = null
    } else {
      const status = await this.#dictation.apply(s.dictationHotkey, 'hybrid')
      if (generation !== this.#generation) return
      this.#dictationStatus = { accelerator: status.accelerator, activeMode: status.activeMode, ...(status.problem ? { problem: status.problem } : {}) }
      if (status.activeMode === 'hybrid') this.#grab(s.dictationHotkey)
    }
    this.#o.onStatus?.(this.status())
  }

  dispose(): void {
    this.#generation++
    this.#release()
    this.#dictation.dispose()
  }

  #registerConversation(accelerator: string): ModeShortcutStatus {
    const parsed = parseAccelerator(accelerator)
    if (typeof parsed === 'string') return { accelerator, activeMode: 'none', problem: parsed }
    let ok = false
    let why = ''
    try {
      ok = this.#o.globalShortcut.register(accelerator, () => this.#o.conversation.toggle())
    } catch (err) {
      why = ` (${(err as Error).message})`
    }
    if (!ok) return { accelerator, activeMode: 'none', problem: `The conversation shortcut ${accelerator} could not be registered${why || ': another app or the desktop has it'}. Choose another in Settings.` }
    this.#undo.push(() => this.#o.globalShortcut.unregister(accelerator))
    return { accelerator, activeMode: 'toggle' }
  }

  /** Swallows the shortcut on X11 (the hook still sees it); elsewhere the hook's key reaches the app as before. */
  #grab(accelerator: string): void {
    const platform = this.#o.platform ?? process.platform
    if (platform !== 'linux' || isWayland(this.#o.env ?? process.env)) return
    try {
      if (this.#o.globalShortcut.register(accelerator, () => {})) this.#undo.push(() => this.#o.globalShortcut.unregister(accelerator))
    } catch {
      // Not swallowed: the focused app also sees the keystroke, dictation still works.
    }
  }

  #release(): void {
    for (const undo of this.#undo.splice(0).reverse()) {
      try {
        undo()
      } catch {
        // already gone
      }
    }
  }
}
