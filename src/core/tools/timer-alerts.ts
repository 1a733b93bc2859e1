/**
 * A timer going off: a notification at once, and a spoken alert in the chosen voice once the assistant
 * and the user are quiet, so the alert never talks over an answer or into a question being spoken.
 */
import type { AssistantState } from '../../shared/assistant'
import type { ConversationState } from '../../shared/modes'
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

/** An alert waits at most this long: past it, the alert is late enough to cut in. */
export const ALERT_WAIT_MAX_MS = 120_000

/** Something an alert must not talk over, and the changes of it. */
export interface Activity {
  busy(): boolean
  onChange(l: () => void): () => void
}

/** The assistant: busy while a question is recorded, or an answer thought out or spoken. */
export function assistantActivity(assistant: {
  state(): AssistantState
  on(e: 'state', l: (s: AssistantState) => void): () => void
}): Activity {
  return {
    busy: () => ['recording', 'thinking', 'speaking'].includes(assistant.state().phase),
    onChange: (l) => assistant.on('state', l)
  }
}

/** The hands-free conversation: busy while the user is speaking a turn (its answer is the assistant's). */
export function conversationActivity(conversation: {
  state(): ConversationState
  on(e: 'state', l: (s: ConversationState) => void): () => void
}): Activity {
  return {
    busy: () => conversation.state().phase === 'hearing',
    onChange: (l) => conversation.on('state', l)
  }
}

/** Resolves once none of `activities` is busy, or after `maxMs` whatever they are doing. */
export function untilQuiet(activities: Activity[], maxMs = ALERT_WAIT_MAX_MS): Promise<void> {
  const quiet = (): boolean => activities.every((a) => !a.busy())
  if (quiet()) return Promise.resolve()
  return new Promise((resolve) => {
    const done = (): void => {
      for (const off of offs) off()
      clearTimeout(timer)
      resolve()
    }
    const offs = activities.map((a) =>
      a.onChange(() => {
        if (quiet()) done()
      })
    )
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

/** Alerts for every timer that fires from now on, spoken one after another; returns the unsubscribe. */
export function announceTimers(timers: TimerService, d: TimerAlertDeps): () => void {
  const log = d.log ?? (() => {})
  // Timers due together (or while the app was closed) are notified at once and spoken in turn.
  let alerts: Promise<void> = Promise.resolve()
  return timers.on('fired', (fired) => {
    const text = alertText(fired)
    if (d.notifier?.isSupported()) d.notifier.show({ title: text.title, body: text.body })
    alerts = alerts
      .then(() => d.quiet?.())
      .then(() => d.speak(text.spoken))
      .then(
        () => undefined,
        (err: unknown) => log(`The timer alert could not be spoken: ${(err as Error).message}`)
      )
  })
}
