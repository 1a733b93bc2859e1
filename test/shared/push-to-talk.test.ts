import { describe, expect, it } from 'vitest'
import { DOUBLE_TAP_MS, HOLD_THRESHOLD_MS, isDoubleTap, isHold } from '../../src/shared/push-to-talk'

describe('push-to-talk timing rule', () => {
  it('a press as long as the threshold is a hold; a shorter one is a tap', () => {
    expect(isHold(HOLD_THRESHOLD_MS)).toBe(true)
    expect(isHold(HOLD_THRESHOLD_MS - 1)).toBe(false)
    expect(isHold(0)).toBe(false)
  })
})

describe('double-tap rule', () => {
  it('a second press within DOUBLE_TAP_MS of the first tap is a double tap; later is not', () => {
    expect(isDoubleTap(0)).toBe(true)
    expect(isDoubleTap(DOUBLE_TAP_MS)).toBe(true)
    expect(isDoubleTap(DOUBLE_TAP_MS + 1)).toBe(false)
    expect(isDoubleTap(-5)).toBe(false)
  })
})
