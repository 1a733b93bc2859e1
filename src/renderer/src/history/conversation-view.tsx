import { useCallback, useContext, useEffect, useState, type FormEvent } from 'react'
import type { ConversationDetail, ExportFormat, StoredTurn } from '../../../shared/history'
import { useApp } from '../app-context'
import { ErrorMessage } from '../error-message'
import { ToolCalls } from '../talk/tool-calls'
import { I18nContext } from '../i18n'
import { useAction } from '../use-action'
import { ConfirmedDelete, ExportButtons } from './history-actions'
import { timeLabel, titleOf } from './history-format'

/** One kept conversation: its turns, replay of kept audio, rename, export, delete, and continue. */
export function ConversationView({
  id,
  version,
  onBack,
  onContinued,
  onExported
}: {
  id: number
  /** Goes up when the history changed: the conversation is read again. */
  version: number
  onBack(): void
  onContinued(): void
  onExported(message: string): void
}) {
  const { client } = useApp()
  const { t, lang } = useContext(I18nContext)
  const [conversation, setConversation] = useState<ConversationDetail | null>(null)
  const [renaming, setRenaming] = useState<string | null>(null)
  const [playing, setPlaying] = useState<string | null>(null)

  const load = useAction(() => client.call('history:get', { id }).then(setConversation))
  const loadRun = load.run
  useEffect(() => {
    void loadRun()
  }, [loadRun, id, version])

  const rename = useAction(async (title: string) => {
    await client.call('history:rename', { id, title })
    setRenaming(null)
    await loadRun()
  })
  const remove = useAction(async () => {
    await client.call('history:delete', { id })
    onBack()
  })
  const continueIt = useAction(async () => {
    await client.call('history:continue', { id })
    onContinued()
  })
  const exportIt = useAction(async (format: ExportFormat) => {
    const r = await client.call('history:export', { id, format })
    onExported(t('history.exported', { conversations: r.conversations, path: r.path }))
  })
  const replay = useAction(async (turn: StoredTurn, part: 'question' | 'answer') => {
    setPlaying(`${turn.id}-${part}`)
    try {
      await client.call('history:replay', { turnId: turn.id, part })
    } finally {
      setPlaying(null)
    }
  })
  const stop = useAction(() => client.call('history:stop-replay'))

  const onRename = useCallback(
    (e: FormEvent) => {
      e.preventDefault()
      if (renaming !== null) void rename.run(renaming)
    },
    [rename, renaming]
  )

  const error = load.error ?? rename.error ?? remove.error ?? continueIt.error ?? exportIt.error ?? replay.error ?? stop.error
  if (!conversation) {
    return (
      <div className="history-conversation">
        <button type="button" className="button button--quiet" onClick={onBack}>
          ← {t('history.back')}
        </button>
        <ErrorMessage error={error} />
        {!error && <p role="status">{t('common.loading')}</p>}
      </div>
    )
  }
  const title = titleOf(conversation, t)

  return (
    <article className="history-conversation" aria-labelledby="history-conversation-title">
      <button type="button" className="button button--quiet" onClick={onBack}>
        ← {t('history.back')}
      </button>
      {renaming === null ? (
        <h2 id="history-conversation-title">{title}</h2>
      ) : (
        <form className="row" onSubmit={onRename}>
          <label className="visually-hidden" htmlFor="history-rename">
            {t('history.renameLabel')}
          </label>
          <input id="history-rename" className="input" value={renaming} maxLength={200} onChange={(e) => setRenaming(e.target.value)} autoFocus />
          <button type="submit" className="button button--small" disabled={rename.pending}>
            {t('history.renameSave')}
          </button>
          <button type="button" className="button button--small button--quiet" onClick={() => setRenaming(null)}>
            {t('history.cancel')}
          </button>
          <h2 id="history-conversation-title" className="visually-hidden">
            {title}
          </h2>
        </form>
      )}
      <div className="row history-actions">
        <button type="button" className="button button--primary" disabled={continueIt.pending} onClick={() => void continueIt.run()}>
          {t('history.continue')}
        </button>
        <button type="button" className="button button--small" onClick={() => setRenaming(conversation.renamed ? (conversation.title ?? '') : '')}>
          {t('history.rename')}
        </button>
        <ExportButtons label={t('history.export')} onExport={(format) => void exportIt.run(format)} />
        <ConfirmedDelete label={t('history.delete')} question={t('history.deleteConfirm')} onConfirm={() => void remove.run()} />
      </div>
      <ErrorMessage error={error} />
      <ol className="history-turns">
        {conversation.turns.map((turn) => (
          <li key={turn.id} className="history-turn" aria-label={`${timeLabel(turn.startedAt, lang)} ${turn.question ?? ''}`}>
            <p className="muted history-turn__time">{timeLabel(turn.startedAt, lang)}</p>
            <div className="bubble bubble--user">
              <span className="visually-hidden">{t('history.you')}: </span>
              {turn.question ?? (turn.fileName ? t('history.fromFile', { name: turn.fileName }) : t('history.spokenQuestion'))}
            </div>
            {turn.toolCalls.length > 0 && <ToolCalls calls={turn.toolCalls} />}
            {(turn.reply || turn.status !== 'error') && (
              <div className="bubble bubble--assistant">
                <span className="visually-hidden">{t('history.assistant')}: </span>
                <span data-testid="history-reply">{turn.reply}</span>
              </div>
            )}
            {turn.status === 'stopped' && <p className="muted">{t('history.interrupted', { spoken: turn.spoken })}</p>}
            {turn.error && <p className="warning">{t('history.failed', { message: turn.error.message })}</p>}
            {(turn.model || turn.voice) && <p className="muted history-turn__about">{[turn.model, turn.voice].filter(Boolean).join(' · ')}</p>}
            {(turn.audio.answer || turn.audio.question) && (
              <div className="row">
                {turn.audio.answer && (
                  <button type="button" className="button button--small" disabled={playing !== null} onClick={() => void replay.run(turn, 'answer')}>
                    {t('history.replayAnswer')}
                  </button>
                )}
                {turn.audio.question && (
                  <button type="button" className="button button--small" disabled={playing !== null} onClick={() => void replay.run(turn, 'question')}>
                    {t('history.replayQuestion')}
                  </button>
                )}
                {playing?.startsWith(`${turn.id}-`) && (
                  <button type="button" className="button button--small" onClick={() => void stop.run()}>
                    {t('history.stopReplay')}
                  </button>
                )}
              </div>
            )}
          </li>
        ))}
      </ol>
    </article>
  )
}
