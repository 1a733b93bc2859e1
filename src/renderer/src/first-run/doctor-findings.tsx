import { useEffect, useRef, useState } from 'react'
import type { DoctorCheck, DoctorReport } from '../../../shared/ipc'
import { useApp } from '../app-context'
import { ErrorMessage } from '../error-message'
import { useT, type MessageKey } from '../i18n'
import { useAction } from '../use-action'

const STATUS: Record<DoctorCheck['status'], { icon: string; label: MessageKey }> = {
  ok: { icon: '✓', label: 'doctor.ok' },
  warn: { icon: '!', label: 'doctor.warn' },
  fail: { icon: '✕', label: 'doctor.fail' },
  skipped: { icon: '–', label: 'doctor.skipped' }
}

/** What the app found on this computer (recorder, player, key, service), with how to fix each problem. */
export function DoctorFindings() {
  const { client } = useApp()
  const t = useT()
  const [report, setReport] = useState<DoctorReport | null>(null)
  const check = useAction(() => client.call('doctor:run').then(setReport))
  const runCheck = check.run

  // Run once on arrival (once, even when development mode mounts twice): a missing recorder is the
  // first thing a new user needs to know about.
  const ran = useRef(false)
  useEffect(() => {
    if (ran.current) return
    ran.current = true
    void runCheck()
  }, [runCheck])

  return (
    <div className="doctor">
      {check.pending && <p role="status">{t('doctor.running')}</p>}
      {report && (
        <ul className="doctor__list" aria-label={t('doctor.findings')}>
          {report.checks.map((c) => (
            <li key={c.id} className={`doctor__check doctor__check--${c.status}`}>
              <span className="doctor__icon" aria-hidden="true">
                {STATUS[c.status].icon}
              </span>
              <div>
                <p className="doctor__label">
                  {c.label} <span className="visually-hidden">({t(STATUS[c.status].label)})</span>
                </p>
                <p className="doctor__detail">{c.detail}</p>
                {c.hint && <code className="doctor__hint">{c.hint}</code>}
              </div>
            </li>
          ))}
        </ul>
      )}
      <ErrorMessage error={check.error} />
      <button type="button" className="button" onClick={() => void check.run()} disabled={check.pending}>
        {t('doctor.again')}
      </button>
    </div>
  )
}
