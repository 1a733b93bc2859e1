import { describe, expect, it } from 'vitest'
import { HOLD_THRESHOLD_MS, isHold } from '../../src/shared/push-to-talk'

describe('push-to-talk timing rule', () => {
  it('a press as long as the threshold is a hold; a shorter one is a tap', () => {
    expect(isHold(HOLD_THRESHOLD_MS)).toBe(true)
    expect(isHold(HOLD_THRESHOLD_MS - 1)).toBe(false)
    expect(isHold(0)).toBe(false)
  })
})
