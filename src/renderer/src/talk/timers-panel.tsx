import { useEffect, useState } from 'react'
import type { TimerView } from '../../../shared/tools'
import { userErrorOf } from '../api-client'
import { useApp } from '../app-context'
import { ErrorMessage } from '../error-message'
import { useT } from '../i18n'
import { useAction } from '../use-action'
import type { UserError } from '../../../shared/errors'

function clockTime(iso: string, lang: string): string {
  return new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { weekday: 'short', hour: '2-digit', minute: '2-digit' })
}

/** Timers and reminders not yet gone off, each with Cancel. Hidden while there are none. */
export function TimersPanel() {
  const { client } = useApp()
  const t = useT()
  const [timers, setTimers] = useState<TimerView[]>([])
  const [loadError, setLoadError] = useState<UserError | null>(null)
  const cancel = useAction((id: string) => client.call('tools:cancel-timer', { id }).then(setTimers))

  useEffect(() => {
    const off = client.on('tools:timers', setTimers)
    client.call('tools:timers').then(setTimers, (err: unknown) => setLoadError(userErrorOf(err)))
    return off
  }, [client])

  if (timers.length === 0 && !loadError) return null
  return (
    <section className="timers" aria-label={t('timers.title')}>
      <h2 className="timers__title">{t('timers.title')}</h2>
      <ul>
        {timers.map((timer) => (
          <li key={timer.id} className="timers__item" data-testid="timer">
            <span className="timers__label">{timer.label}</span>
            <span className="muted">
              {t(timer.kind === 'reminder' ? 'timers.reminderAt' : 'timers.timerAt', { time: clockTime(timer.dueAt, t('timers.lang')) })}
            </span>
            <button
              type="button"
              className="button button--quiet"
              onClick={() => void cancel.run(timer.id)}
              disabled={cancel.pending}
              aria-label={t('timers.cancelNamed', { label: timer.label })}
            >
              {t('timers.cancel')}
            </button>
          </li>
        ))}
      </ul>
      <ErrorMessage error={loadError ?? cancel.error} />
    </section>
  )
}
