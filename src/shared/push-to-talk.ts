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
