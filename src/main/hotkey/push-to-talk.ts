import type { AssistantPhase } from '../../shared/assistant'
import type { HotkeyMode } from '../../shared/settings'
import { isDoubleTap, isHold } from '../../shared/push-to-talk'
import { systemClock, type Clock } from '../../core/ports'

/** What the shortcut drives: the assistant's push-to-talk calls, and its current phase. */
export interface PushToTalkTarget {
  press(): unknown
  release(): unknown
  toggle(): unknown
  phase(): AssistantPhase
  /** Two quick taps (src/shared/push-to-talk.ts); without it a second tap is an ordinary press. */
  doubleTap?(): unknown
}

/**
 * The rule that turns key presses and releases into recording start and stop.
 * - hold: down starts, up ends.
 * - toggle: each press starts or ends (releases are ignored).
 * - hybrid: down starts; up after a hold (src/shared/push-to-talk.ts) ends; a tap keeps recording
 *   until the next press ends it (a press while recording always ends it).
 * Auto-repeat (more key-downs while held) never re-triggers. A tap that started a recording and a
 * second press soon after it are a double tap (the target's doubleTap); its release does nothing.
 */
export class PushToTalk {
  #down = false
  #downAt = 0
  #ignoreUp = false
  /** When the last tap that started something was let go (or pressed, for press-only shortcuts). */
  #tapEndedAt: number | undefined

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
    if (this.#takeDoubleTap()) {
      this.#ignoreUp = true
      return
    }
    if (this.mode === 'toggle') {
      this.#toggle()
      return
    }
    if (this.mode === 'hybrid' && this.target.phase() === 'recording') {
      // A press while recording (after a tap, or a start from the window) ends it; its release does nothing more.
      this.#ignoreUp = true
      this.#tapEndedAt = undefined
      this.target.release()
      return
    }
    this.#ignoreUp = false
    this.target.press()
  }

  /** A press right after a tap that started something: the double tap, if the target takes one. */
  #takeDoubleTap(): boolean {
    const since = this.#tapEndedAt
    this.#tapEndedAt = undefined
    if (!this.target.doubleTap || since === undefined || !isDoubleTap(this.clock.now() - since)) return false
    this.target.doubleTap()
    return true
  }

  keyUp(): void {
    if (!this.#down) return
    this.#down = false
    if (this.mode === 'toggle') return
    if (this.#ignoreUp) {
      this.#ignoreUp = false
      return
    }
    const now = this.clock.now()
    const tap = !isHold(now - this.#downAt)
    this.#tapEndedAt = tap ? now : undefined
    // A tap: recording goes on until the next press.
    if (this.mode === 'hybrid' && tap) return
    this.target.release()
  }

  /** A shortcut that reports presses only (Electron's globalShortcut): every press toggles. */
  trigger(): void {
    if (this.#takeDoubleTap()) return
    this.#toggle()
  }

  /** A press that starts a recording may be the first of a double tap; one that ends it may not. */
  #toggle(): void {
    const starts = this.target.phase() !== 'recording'
    this.target.toggle()
    this.#tapEndedAt = starts ? this.clock.now() : undefined
  }

  reset(): void {
    this.#down = false
    this.#ignoreUp = false
    this.#tapEndedAt = undefined
  }
}
