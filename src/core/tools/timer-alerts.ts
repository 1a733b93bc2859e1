/**
 * A timer going off: a notification at once, and a spoken alert in the chosen voice once the assistant
 * is quiet, so the alert never talks over an answer or into a question being recorded.
 */
import type { AssistantState } from '../../shared/assistant'
import type { Notifier } from '../ports'
import { describeDuration } from './zoned-time'
import type { FiredTimer, TimerService } from './timers'

export interface TimerAlertDeps {
  notifier?: Notifier
  /** Speaks the alert (in the voice of the settings); its failure is logged, never thrown. */
  speak(text: string): Promise<unknown>
  /** Resolves when nothing is being recorded or said (see untilQuiet); without it the alert is spoken at once. */
  quiet?: () => Promise<void>
  log?: (message: string) => void
}

/** An alert waits at most this long for the assistant: past it, the alert is late enough to cut in. */
export const ALERT_WAIT_MAX_MS = 120_000

/** The part of the assistant an alert watches: its phase and the changes of it. */
export interface PhaseSource {
  state(): AssistantState
  on(e: 'state', l: (s: AssistantState) => void): () => void
}

const busy = (s: AssistantState): boolean => s.phase === 'recording' || s.phase === 'thinking' || s.phase === 'speaking'

/** Resolves once the assistant is idle (or its turn failed), or after `maxMs` whatever it is doing. */
export function untilQuiet(assistant: PhaseSource, maxMs = ALERT_WAIT_MAX_MS): Promise<void> {
  if (!busy(assistant.state())) return Promise.resolve()
  return new Promise((resolve) => {
    const done = (): void => {
      off()
      clearTimeout(timer)
      resolve()
    }
    const off = assistant.on('state', (s) => {
      if (!busy(s)) done()
    })
    const timer = setTimeout(done, maxMs)
    timer.unref?.()
  })
}

/** What is said and shown: the reminder's words, or which timer is done. */
export function alertText({ timer, lateMs }: FiredTimer): { title: string; body: string; spoken: string } {
  const chinese = /[\u3400-\u9fff]/.test(timer.label)
  const late = lateMs > 60_000 ? describeDuration(lateMs) : ''
  if (timer.kind === 'reminder') {
    const spoken = chinese ? `提醒：${timer.label}` : `Reminder: ${timer.label}.`
    return { title: chinese ? '提醒' : 'Reminder', body: late ? `${timer.label} (due ${late} ago)` : timer.label, spoken }
  }
  const named = timer.label && timer.label.toLowerCase() !== 'timer' ? timer.label : ''
  const spoken = chinese ? `${named}计时结束。` : `Your ${named ? `${named} ` : ''}timer is done.`
  return { title: chinese ? '计时结束' : 'Timer done', body: `${named || 'Timer'}${late ? ` (due ${late} ago)` : ''}`, spoken }
}

/** Alerts for every timer that fires from now on; returns the unsubscribe. */
export function announceTimers(timers: TimerService, d: TimerAlertDeps): () => void {
  const log = d.log ?? (() => {})
  return timers.on('fired', (fired) => {
    const text = alertText(fired)
    if (d.notifier?.isSupported()) d.notifier.show({ title: text.title, body: text.body })
    Promise.resolve(d.quiet?.())
      .then(() => d.speak(text.spoken))
      .catch((err: unknown) => log(`The timer alert could not be spoken: ${(err as Error).message}`))
  })
}
