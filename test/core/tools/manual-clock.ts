import type { Clock, Scheduler } from '../../../src/core/ports'

/** Wall-clock time and timers that move only when the test turns them. */
export class ManualClock implements Clock, Scheduler {
  private timers: Array<{ at: number; fn: () => void; id: number }> = []
  private nextId = 1

  constructor(private time = Date.UTC(2026, 11, 1, 6, 0, 0)) {}

  now(): number {
    return this.time
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++
    this.timers.push({ at: this.time + Math.max(0, ms), fn, id })
    return id
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle)
  }

  /** Moves time on, firing each timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.time + ms
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0]
      if (!due) break
      this.timers = this.timers.filter((t) => t !== due)
      this.time = Math.max(this.time, due.at)
      due.fn()
    }
    this.time = end
  }

  get pending(): number {
    return this.timers.length
  }
}
