import type { AssistantPhase } from '../../shared/assistant'
import type { HotkeyMode } from '../../shared/settings'
import { isHold } from '../../shared/push-to-talk'
import { systemClock, type Clock } from '../../core/ports'

/** What the shortcut drives: the assistant's push-to-talk calls, and its current phase. */
export interface PushToTalkTarget {
  press(): unknown
  release(): unknown
  toggle(): unknown
  phase(): AssistantPhase
}

/**
 * The rule that turns key presses and releases into recording start and stop.
 * - hold: down starts, up ends.
 * - toggle: each press starts or ends (releases are ignored).
 * - hybrid: down starts; up after a hold (src/shared/push-to-talk.ts) ends; a tap keeps recording
 *   until the next press ends it (a press while recording always ends it).
 * Auto-repeat (more key-downs while held) never re-triggers.
 */
export class PushToTalk {
  #down = false
  #downAt = 0
  #ignoreUp = false

  constructor(
    private readonly target: PushToTalkTarget,
    private readonly mode: HotkeyMode,
    private readonly clock: Clock = systemClock
  ) {}

  get isDown(): boolean {
    return this.#down
  }

  keyDown(): void {
    if (this.#down) return // auto-repeat
    this.#down = true
    this.#downAt = this.clock.now()
    if (this.mode === 'toggle') {
      this.target.toggle()
      return
    }
    if (this.mode === 'hybrid' && this.target.phase() === 'recording') {
      // A press while recording (after a tap, or a start from the window) ends it; its release does nothing more.
      this.#ignoreUp = true
      this.target.release()
      return
    }
    this.#ignoreUp = false
    this.target.press()
  }

  keyUp(): void {
    if (!this.#down) return
    this.#down = false
    if (this.mode === 'toggle') return
    if (this.#ignoreUp) {
      this.#ignoreUp = false
      return
    }
    // A tap: recording goes on until the next press.
    if (this.mode === 'hybrid' && !isHold(this.clock.now() - this.#downAt)) return
    this.target.release()
  }

  /** A shortcut that reports presses only (Electron's globalShortcut): every press toggles. */
  trigger(): void {
    this.target.toggle()
  }

  reset(): void {
    this.#down = false
    this.#ignoreUp = false
  }
}
