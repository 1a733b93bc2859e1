import { memo, useCallback, useContext, useEffect, useRef, useState } from 'react'
import type { UserError } from '../../../shared/errors'
import { HISTORY_RETENTIONS, type ConversationSummary, type ExportFormat, type HistoryCursor, type HistoryRetention, type SearchHit, type Excerpt } from '../../../shared/history'
import type { SettingsPatch } from '../../../shared/settings'
import { useApp } from '../app-context'
import { ErrorMessage } from '../error-message'
import { I18nContext, type MessageKey } from '../i18n'
import { useAction } from '../use-action'
import { ConversationView } from './conversation-view'
import { ConfirmedDelete, ExportButtons } from './history-actions'
import { byDay, dayLabel, timeLabel, titleOf } from './history-format'
import './history.css'

const PAGE = 50
const SEARCH_DELAY_MS = 150

const RETENTION_LABEL: Record<HistoryRetention, MessageKey> = {
  week: 'history.retention.week',
  month: 'history.retention.month',
  year: 'history.retention.year',
  forever: 'history.retention.forever'
}

/** An excerpt with the searched word marked. */
function Marked({ excerpt }: { excerpt: Excerpt }) {
  const m = excerpt.match
  if (!m) return <>{excerpt.text}</>
  return (
    <>
      {excerpt.text.slice(0, m.start)}
      <mark>{excerpt.text.slice(m.start, m.start + m.length)}</mark>
      {excerpt.text.slice(m.start + m.length)}
    </>
  )
}

/**
 * Kept conversations: by day, searched as you type (English and Chinese), opened to read, replay,
 * rename, export, delete or continue; and the privacy switches (incognito, keep audio, retention).
 */
export const HistoryView = memo(function HistoryView({ onContinued }: { onContinued(): void }) {
  const { client, settings, applyPublicSettings } = useApp()
  const { t, lang } = useContext(I18nContext)
  const [conversations, setConversations] = useState<ConversationSummary[] | null>(null)
  const [next, setNext] = useState<HistoryCursor | null>(null)
  const [query, setQuery] = useState('')
  const [hits, setHits] = useState<SearchHit[] | null>(null)
  const [open, setOpen] = useState<number | null>(null)
  const [version, setVersion] = useState(0)
  const [problem, setProblem] = useState<UserError | null>(null)
  const [notice, setNotice] = useState('')
  const shown = useRef(PAGE)

  const load = useAction(async () => {
    const page = await client.call('history:list', { limit: Math.min(200, shown.current) })
    setConversations(page.conversations)
    setNext(page.next)
  })
  const more = useAction(async () => {
    if (!next) return
    const page = await client.call('history:list', { before: next, limit: PAGE })
    shown.current += page.conversations.length
    setConversations((prev) => [...(prev ?? []), ...page.conversations])
    setNext(page.next)
  })
  const search = useAction(async (text: string) => {
    const found = await client.call('history:search', { text })
    setHits(found)
  })
  const save = useAction((patch: SettingsPatch) => client.call('settings:update', patch).then(applyPublicSettings))
  const exportAll = useAction(async (format: ExportFormat) => {
    const r = await client.call('history:export', { format })
    setNotice(t('history.exported', { conversations: r.conversations, path: r.path }))
  })
  const clear = useAction(async () => {
    await client.call('history:clear')
    setOpen(null)
  })

  const loadRun = load.run
  const searchRun = search.run
  useEffect(() => {
    const offs = [
      client.on('history:changed', () => setVersion((v) => v + 1)),
      client.on('history:problem', setProblem)
    ]
    client.call('history:status').then(
      (s) => setProblem(s.problem ?? null),
      () => {}
    )
    return () => offs.forEach((off) => off())
  }, [client])

  // The list (and the results of a search) follow every change.
  useEffect(() => {
    void loadRun()
  }, [loadRun, version])
  useEffect(() => {
    const text = query.trim()
    if (!text) {
      setHits(null)
      return
    }
    const timer = setTimeout(() => void searchRun(text), SEARCH_DELAY_MS)
    return () => clearTimeout(timer)
  }, [query, searchRun, version])

  const openConversation = useCallback((id: number) => {
    setNotice('')
    setOpen(id)
  }, [])

  const now = Date.now()
  const error = load.error ?? more.error ?? search.error ?? save.error ?? exportAll.error ?? clear.error

  const privacy = (
    <section className="card history-privacy" aria-labelledby="history-privacy">
      <h2 id="history-privacy">{t('history.privacy')}</h2>
      <div className="check">
        <input id="history-incognito" type="checkbox" checked={settings.incognito} onChange={(e) => void save.run({ incognito: e.target.checked })} />
        <label htmlFor="history-incognito">{t('history.incognito')}</label>
      </div>
      <div className="check">
        <input id="history-keep-audio" type="checkbox" checked={settings.keepAudio} onChange={(e) => void save.run({ keepAudio: e.target.checked })} />
        <label htmlFor="history-keep-audio">{t('history.keepAudio')}</label>
      </div>
      <div className="field history-retention">
        <label htmlFor="history-retention">{t('history.retention')}</label>
        <select
          id="history-retention"
          className="input"
          value={settings.historyRetention}
          onChange={(e) => void save.run({ historyRetention: e.target.value as HistoryRetention })}
        >
          {HISTORY_RETENTIONS.map((r) => (
            <option key={r} value={r}>
              {t(RETENTION_LABEL[r])}
            </option>
          ))}
        </select>
      </div>
    </section>
  )

  let body
  if (open !== null) {
    body = (
      <ConversationView
        id={open}
        version={version}
        onBack={() => setOpen(null)}
        onContinued={onContinued}
        onExported={setNotice}
      />
    )
  } else if (hits !== null) {
    body = (
      <section aria-labelledby="history-results">
        <h2 id="history-results" className="visually-hidden">
          {t('history.results')}
        </h2>
        {hits.length === 0 ? (
          <p className="muted">{t('history.noResults', { query: query.trim() })}</p>
        ) : (
          <ul className="history-list" aria-label={t('history.results')}>
            {hits.map((h) => (
              <li key={h.turnId}>
                <button type="button" className="history-item" onClick={() => openConversation(h.conversationId)}>
                  <span className="history-item__title">{titleOf({ title: h.conversationTitle }, t)}</span>
                  <span className="history-item__excerpt">
                    <Marked excerpt={h.question} />
                  </span>
                  <span className="history-item__excerpt muted">
                    <Marked excerpt={h.answer} />
                  </span>
                  <span className="history-item__meta muted">
                    {dayLabel(h.startedAt, now, lang, t)} {timeLabel(h.startedAt, lang)}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
    )
  } else {
    body = (
      <section aria-labelledby="history-list">
        <h2 id="history-list" className="visually-hidden">
          {t('history.list')}
        </h2>
        {conversations === null && !load.error && <p role="status">{t('common.loading')}</p>}
        {conversations?.length === 0 && <p className="muted">{t('history.empty')}</p>}
        {conversations &&
          byDay(conversations).map((group) => (
            <section key={group.day} className="history-day" aria-label={dayLabel(group.day, now, lang, t)}>
              <h3>{dayLabel(group.day, now, lang, t)}</h3>
              <ul className="history-list">
                {group.items.map((c) => (
                  <li key={c.id}>
                    <button type="button" className="history-item" onClick={() => openConversation(c.id)}>
                      <span className="history-item__title">{titleOf(c, t)}</span>
                      <span className="history-item__meta muted">
                        {timeLabel(c.updatedAt, lang)} · {c.turnCount === 1 ? t('history.oneTurn') : t('history.turns', { n: c.turnCount })}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        {next && (
          <button type="button" className="button" disabled={more.pending} onClick={() => void more.run()}>
            {t('history.more')}
          </button>
        )}
        {conversations && conversations.length > 0 && (
          <div className="row history-footer">
            <ExportButtons label={t('history.exportAll')} onExport={(format) => void exportAll.run(format)} />
            <ConfirmedDelete label={t('history.deleteAll')} question={t('history.deleteAllConfirm')} onConfirm={() => void clear.run()} />
          </div>
        )}
      </section>
    )
  }

  return (
    <div className="view history">
      {problem && <ErrorMessage error={{ ...problem, message: t('history.problem', { message: problem.message }) }} />}
      {settings.incognito && (
        <p className="badge history-incognito" role="status">
          {t('history.incognitoOn')}
        </p>
      )}
      <div role="search" className="history-search">
        <label htmlFor="history-search" className="visually-hidden">
          {t('history.searchLabel')}
        </label>
        <input
          id="history-search"
          type="search"
          className="input"
          placeholder={t('history.searchPlaceholder')}
          value={query}
          maxLength={200}
          onChange={(e) => {
            setQuery(e.target.value)
            setOpen(null)
          }}
        />
      </div>
      <ErrorMessage error={error} />
      <p role="status" className="history-notice">
        {notice}
      </p>
      {body}
      {open === null && privacy}
    </div>
  )
})
