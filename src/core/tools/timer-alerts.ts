/** A timer going off: a notification, and a spoken alert in the chosen voice. */
import type { Notifier } from '../ports'
import { describeDuration } from './zoned-time'
import type { FiredTimer, TimerService } from './timers'

export interface TimerAlertDeps {
  notifier?: Notifier
  /** Speaks the alert (in the voice of the settings); its failure is logged, never thrown. */
  speak(text: string): Promise<unknown>
  log?: (message: string) => void
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
    d.speak(text.spoken).catch((err: unknown) => log(`The timer alert could not be spoken: ${(err as Error).message}`))
  })
}
