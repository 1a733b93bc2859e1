/**
 * The push-to-talk timing rule, one for the global shortcut (src/main/hotkey/push-to-talk.ts) and the
 * window's talk button: a press shorter than HOLD_THRESHOLD_MS is a tap (the recording goes on until
 * the next press); a longer one is a hold (letting go sends the question).
 */
export const HOLD_THRESHOLD_MS = 500

/** Letting go after `heldMs` ends the recording the press started (a hold), or leaves it running (a tap). */
export function isHold(heldMs: number): boolean {
  return heldMs >= HOLD_THRESHOLD_MS
}

/**
 * A second press this soon after a tap (the shortcut's first press let go before it became a hold)
 * is a double tap: it starts a hands-free conversation instead of sending the recording.
 */
export const DOUBLE_TAP_MS = 400

/** `gapMs`: from the first tap's let-go (or its press, for shortcuts that report presses only) to the next press. */
export function isDoubleTap(gapMs: number): boolean {
  return gapMs >= 0 && gapMs <= DOUBLE_TAP_MS
}
