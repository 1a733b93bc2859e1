/**
 * Tool calls waiting for the user's yes: a click in the window or the tray, or a spoken "yes" on the
 * next press. A question not answered within 30 s is a no; so is one whose turn ended.
 */
import { CONFIRMATION_TIMEOUT_MS, type ToolConfirmation } from '../../shared/tools'
import { systemScheduler, type Clock, type Scheduler } from '../ports'
import type { ConfirmRequest } from './tool-runner'

interface Pending {
  view: ToolConfirmation
  resolve(allowed: boolean): void
}

export interface ConfirmationOptions {
  timeoutMs?: number
  clock?: Clock
  scheduler?: Scheduler
}

export class ConfirmationBroker {
  private readonly pending: Pending[] = []
  private readonly listeners = new Set<(list: ToolConfirmation[]) => void>()
  private readonly timeoutMs: number
  private readonly clock: Clock
  private readonly scheduler: Scheduler

  constructor(o: ConfirmationOptions = {}) {
    this.timeoutMs = o.timeoutMs ?? CONFIRMATION_TIMEOUT_MS
    this.clock = o.clock ?? { now: () => Date.now() }
    this.scheduler = o.scheduler ?? systemScheduler
  }

  /** Resolves true when the user allows the call; false when refused, unanswered in time, or the turn ended. */
  ask(turnId: string, request: ConfirmRequest): Promise<boolean> {
    return new Promise((resolve) => {
      const view: ToolConfirmation = {
        callId: request.call.id,
        turnId,
        tool: request.tool.name,
        ...(request.tool.server ? { server: request.tool.server } : {}),
        arguments: request.call.arguments,
        reason: request.reason,
        expiresAt: new Date(this.clock.now() + this.timeoutMs).toISOString()
      }
      const timer = this.scheduler.setTimeout(() => settle(false), this.timeoutMs)
      const onAbort = (): void => settle(false)
      const entry: Pending = { view, resolve: (allowed) => settle(allowed) }
      const settle = (allowed: boolean): void => {
        const i = this.pending.indexOf(entry)
        if (i === -1) return
        this.pending.splice(i, 1)
        this.scheduler.clearTimeout(timer)
        request.signal.removeEventListener('abort', onAbort)
        resolve(allowed)
        this.changed()
      }
      this.pending.push(entry)
      if (request.signal.aborted) return settle(false)
      request.signal.addEventListener('abort', onAbort, { once: true })
      this.changed()
    })
  }

  /** Answers one waiting call; false when it is not waiting (any more). */
  answer(callId: string, allowed: boolean): boolean {
    const entry = this.pending.find((p) => p.view.callId === callId)
    if (!entry) return false
    entry.resolve(allowed)
    return true
  }

  /** Answers the oldest call a turn is waiting on (a spoken yes or no). */
  answerForTurn(turnId: string, allowed: boolean): boolean {
    const entry = this.pending.find((p) => p.view.turnId === turnId)
    return entry ? this.answer(entry.view.callId, allowed) : false
  }

  list(): ToolConfirmation[] {
    return this.pending.map((p) => ({ ...p.view }))
  }

  waitingFor(turnId: string): boolean {
    return this.pending.some((p) => p.view.turnId === turnId)
  }

  on(_e: 'change', l: (list: ToolConfirmation[]) => void): () => void {
    this.listeners.add(l)
    return () => this.listeners.delete(l)
  }

  private changed(): void {
    const list = this.list()
    for (const l of this.listeners) {
      try {
        l(list)
      } catch {
        // a listener's fault is its own
      }
    }
  }
}
