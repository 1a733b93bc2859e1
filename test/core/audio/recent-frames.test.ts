import { describe, expect, it } from 'vitest'
import { RecentFrames } from '../../../src/core/audio/recent-frames'

const frame = (n: number, samples = 800): Int16Array => new Int16Array(samples).fill(n)

describe('RecentFrames', () => {
  it('keeps the newest frames that cover the time asked for, oldest first; take() hands them over and empties it', () => {
    const recent = new RecentFrames(300, 16000)
    for (let i = 1; i <= 10; i++) recent.push(frame(i)) // 50 ms each
    expect(recent.ms).toBe(300)
    const taken = recent.take()
    expect(taken.map((f) => f[0])).toEqual([5, 6, 7, 8, 9, 10])
    expect(recent.ms).toBe(0)
    expect(recent.take()).toEqual([])
  })

  it('keeps a frame longer than the time asked for; frames of any length count by their duration', () => {
    const recent = new RecentFrames(100, 16000)
    recent.push(frame(1, 4800)) // 300 ms
    expect(recent.ms).toBe(300)
    recent.push(frame(2, 160)) // 10 ms: the long frame is still needed to cover 100 ms
    expect(recent.take().map((f) => f[0])).toEqual([1, 2])
    recent.push(frame(3, 1600))
    recent.push(frame(4, 1600))
    recent.clear()
    expect(recent.ms).toBe(0)
    expect(recent.take()).toEqual([])
  })
})
