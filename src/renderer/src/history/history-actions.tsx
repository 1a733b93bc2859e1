import { useState } from 'react'
import type { ExportFormat } from '../../../shared/history'
import { useT } from '../i18n'

/** "Export: Markdown JSON", for one conversation or all. */
export function ExportButtons({ label, onExport }: { label: string; onExport(format: ExportFormat): void }) {
  const t = useT()
  return (
    <span className="history-export" role="group" aria-label={label}>
      {label}:{' '}
      <button type="button" className="button button--small" onClick={() => onExport('md')}>
        {t('history.exportMd')}
      </button>
      <button type="button" className="button button--small" onClick={() => onExport('json')}>
        {t('history.exportJson')}
      </button>
    </span>
  )
}

/** A delete button that asks in place before it deletes. */
export function ConfirmedDelete({ label, question, onConfirm }: { label: string; question: string; onConfirm(): void }) {
  const t = useT()
  const [asking, setAsking] = useState(false)
  if (!asking) {
    return (
      <button type="button" className="button button--small button--danger" onClick={() => setAsking(true)}>
        {label}
      </button>
    )
  }
  return (
    <span role="group" aria-label={question} className="history-confirm">
      {question}{' '}
      <button
        type="button"
        className="button button--small button--danger"
        onClick={() => {
          setAsking(false)
          onConfirm()
        }}
      >
        {label}
      </button>
      <button type="button" className="button button--small" onClick={() => setAsking(false)}>
        {t('history.cancel')}
      </button>
    </span>
  )
}
