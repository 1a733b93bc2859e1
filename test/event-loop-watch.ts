import { monitorEventLoopDelay } from 'node:perf_hooks'

export interface LoopFigures<T> {
  result: T
  /** Wall time of the work. */
  ms: number
  /** Share of that time the event loop was busy (0 to 1). */
  busy: number
  delayMaxMs: number
  delayP99Ms: number
}

/** Runs `work` while watching this thread's event loop: how long it took, how busy and how late the loop was meanwhile. */
export async function watchEventLoop<T>(work: () => Promise<T>): Promise<LoopFigures<T>> {
  const delay = monitorEventLoopDelay({ resolution: 2 })
  delay.enable()
  const before = performance.eventLoopUtilization()
  const started = performance.now()
  try {
    const result = await work()
    const ms = performance.now() - started
    const busy = performance.eventLoopUtilization(before).utilization
    return { result, ms, busy, delayMaxMs: delay.max / 1e6, delayP99Ms: delay.percentile(99) / 1e6 }
  } finally {
    delay.disable()
  }
}
