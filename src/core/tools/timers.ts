/**
 * Timers and reminders: kept in `timers.json` in the data folder (written whole, read again before
 * every change, so the app and the `mimo-voice` command share them and a restart loses none), and
 * fired by the program that runs them (the app): a timer due while the app was closed fires as soon
 * as it starts, late.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { TimerView } from '../../shared/tools'
import { moveAside, writeFileAtomically } from '../atomic-file'
import { systemScheduler, type Clock, type Scheduler } from '../ports'
import { ToolError } from './tool'

export const TIMERS_FILE = 'timers.json'
export const MAX_TIMERS = 50
export const MAX_TIMER_MS = 31 * 24 * 3600_000
/** Another program may add a timer to the file: look at it again at least this often. */
const RESYNC_MS = 30_000

export interface FiredTimer {
  timer: TimerView
  /** How late it fired (the app was closed when it was due), in ms. */
  lateMs: number
}

interface TimerEvents {
  change: TimerView[]
  fired: FiredTimer
}

export interface TimerServiceOptions {
  /** The data folder (timers.json goes in it). */
  dataDir: string
  /** Wall-clock milliseconds since the epoch. */
  clock?: Clock
  scheduler?: Scheduler
  log?: (message: string) => void
}

function isTimer(v: unknown): v is TimerView {
  const t = v as TimerView
  return (
    !!t && typeof t === 'object' && typeof t.id === 'string' && (t.kind === 'timer' || t.kind === 'reminder') &&
    typeof t.label === 'string' && typeof t.dueAt === 'string' && !Number.isNaN(Date.parse(t.dueAt)) && typeof t.createdAt === 'string'
  )
}

export class TimerService {
  readonly path: string
  private readonly clock: Clock
  private readonly scheduler: Scheduler
  private readonly log: (message: string) => void
  private handle: unknown = null
  private running = false
  private checking = false
  private readonly listeners: { [E in keyof TimerEvents]: Set<(v: TimerEvents[E]) => void> } = { change: new Set(), fired: new Set() }

  constructor(o: TimerServiceOptions) {
    this.path = join(o.dataDir, TIMERS_FILE)
    this.clock = o.clock ?? { now: () => Date.now() }
    this.scheduler = o.scheduler ?? systemScheduler
    this.log = o.log ?? (() => {})
  }

  /** Fires what is due (late ones included) and keeps firing until stop(). */
  start(): void {
    this.running = true
    this.check()
  }

  stop(): void {
    this.running = false
    if (this.handle !== null) this.scheduler.clearTimeout(this.handle)
    this.handle = null
  }

  /** Soonest first. */
  list(): TimerView[] {
    return this.read().sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))
  }

  add(o: { dueAtMs: number; label: string; kind: TimerView['kind'] }): TimerView {
    const now = this.clock.now()
    if (!(o.dueAtMs > now)) throw new ToolError('That time has already passed.', 'bad-arguments')
    if (o.dueAtMs - now > MAX_TIMER_MS) throw new ToolError('Timers and reminders can be at most 31 days ahead.', 'bad-arguments')
    const timers = this.read()
    if (timers.length >= MAX_TIMERS) throw new ToolError(`There are already ${MAX_TIMERS} timers; cancel one first.`, 'too-many-timers')
    const timer: TimerView = {
      id: randomBytes(3).toString('hex'),
      kind: o.kind,
      label: o.label.trim().slice(0, 200) || (o.kind === 'reminder' ? 'Reminder' : 'Timer'),
      dueAt: new Date(o.dueAtMs).toISOString(),
      createdAt: new Date(now).toISOString()
    }
    this.write([...timers, timer])
    return timer
  }

  /** Throws ToolError when there is no such timer (it may have fired already). */
  cancel(id: string): TimerView {
    const timers = this.read()
    const timer = timers.find((t) => t.id === id.trim().toLowerCase())
    if (!timer) throw new ToolError(`There is no timer with the id "${id}"; it may have gone off already.`, 'no-timer')
    this.write(timers.filter((t) => t !== timer))
    return timer
  }

  on<E extends keyof TimerEvents>(e: E, l: (v: TimerEvents[E]) => void): () => void {
    const set = this.listeners[e] as Set<(v: TimerEvents[E]) => void>
    set.add(l)
    return () => set.delete(l)
  }

  private emit<E extends keyof TimerEvents>(e: E, v: TimerEvents[E]): void {
    for (const l of this.listeners[e] as Set<(v: TimerEvents[E]) => void>) {
      try {
        l(v)
      } catch (err) {
        this.log(`A timer listener failed: ${(err as Error).message}`)
      }
    }
  }

  /** Fires every due timer, then waits for the next one (or a while, to see other programs' changes). */
  private check(): void {
    if (!this.running) return
    this.checking = true
    try {
      this.checkNow()
    } finally {
      this.checking = false
    }
  }

  private checkNow(): void {
    if (this.handle !== null) this.scheduler.clearTimeout(this.handle)
    this.handle = null
    const now = this.clock.now()
    const timers = this.read()
    const due = timers.filter((t) => Date.parse(t.dueAt) <= now)
    if (due.length > 0) {
      this.write(timers.filter((t) => !due.includes(t)))
      for (const timer of due) this.emit('fired', { timer, lateMs: Math.max(0, now - Date.parse(timer.dueAt)) })
    }
    const next = timers.filter((t) => !due.includes(t)).reduce((min, t) => Math.min(min, Date.parse(t.dueAt)), Infinity)
    const wait = Math.max(0, Math.min(next - now, RESYNC_MS))
    this.handle = this.scheduler.setTimeout(() => this.check(), wait)
  }

  private read(): TimerView[] {
    let text: string
    try {
      text = readFileSync(this.path, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw new ToolError(`The timers could not be read: ${(err as Error).message}`, 'timers-unreadable')
    }
    try {
      const data = JSON.parse(text) as { timers?: unknown }
      if (!Array.isArray(data.timers)) throw new Error('no timers list')
      return data.timers.filter(isTimer)
    } catch {
      // Kept for the user to look at; the timers start afresh.
      const to = moveAside(this.path)
      this.log(`${this.path} was damaged; it was moved to ${to}`)
      return []
    }
  }

  private write(timers: TimerView[]): void {
    writeFileAtomically(this.path, JSON.stringify({ version: 1, timers }, null, 2) + '\n')
    this.emit('change', [...timers].sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt)))
    // A new timer may be sooner than the one waited for.
    if (this.running && !this.checking) this.check()
  }
}
