import { useEffect, useState } from 'react'
import { CONVERSATION_OFF, conversationActive, type Dictation, type ModesSnapshot } from '../../../shared/modes'
import { acceleratorLabel } from '../accelerator-label'
import { userErrorOf } from '../api-client'
import { useApp } from '../app-context'
import { ErrorMessage } from '../error-message'
import { useT, type MessageKey } from '../i18n'
import { useAction } from '../use-action'

const PHASE_TEXT: Record<'listening' | 'hearing' | 'answering', MessageKey> = {
  listening: 'conversation.listening',
  hearing: 'conversation.hearing',
  answering: 'conversation.answering'
}

const IDLE: ModesSnapshot = { conversation: CONVERSATION_OFF, dictation: { phase: 'idle' }, shortcuts: { conversation: null, dictation: null } }

/**
 * The hands-free conversation's button and, while it runs, a clear indicator of where it is and how
 * to end it (Esc ends it too); and a line for dictation in progress or the last one that needs a look.
 */
export function ConversationBar({ onListening }: { onListening(open: boolean): void }) {
  const { client, hotkey, platform } = useApp()
  const t = useT()
  const [modes, setModes] = useState<ModesSnapshot>(IDLE)
  const [dictated, setDictated] = useState<Dictation | null>(null)
  const start = useAction(() => client.call('conversation:start'))
  const end = useAction(() => client.call('conversation:stop'))
  const cancelDictation = useAction(() => client.call('dictation:cancel'))
  const active = conversationActive(modes.conversation)
  const [loadError, setLoadError] = useState<ReturnType<typeof userErrorOf> | null>(null)

  useEffect(() => {
    const offs = [client.on('modes:changed', setModes), client.on('dictation:done', setDictated)]
    client.call('modes:snapshot').then(setModes, (err: unknown) => setLoadError(userErrorOf(err)))
    return () => offs.forEach((off) => off())
  }, [client])

  const phase = modes.conversation.phase
  const dictating = modes.dictation.phase === 'recording'
  useEffect(() => onListening((active && phase !== 'answering') || dictating), [active, phase, dictating, onListening])

  // Esc anywhere in the window ends the conversation.
  const endRun = end.run
  useEffect(() => {
    if (!active) return
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') void endRun()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [active, endRun])

  const talkKey = hotkey && hotkey.activeMode !== 'none' ? acceleratorLabel(hotkey.accelerator, platform) : null
  const dictationKey = modes.shortcuts.dictation ? acceleratorLabel(modes.shortcuts.dictation.accelerator, platform) : ''
  const ended = modes.conversation.ended
  const endedNote: MessageKey | null = !active && ended === 'silence' ? 'conversation.ended.silence' : !active && ended === 'microphone-taken' ? 'conversation.ended.microphone' : null
  const dictationNote = dictated && (dictated.error || dictated.insert !== 'pasted') ? (dictated.error?.message ?? dictated.notice) : null

  return (
    <div className="conversation">
      {active ? (
        <div className="conversation__on" role="status" data-testid="conversation-indicator" data-phase={phase}>
          <span className={`phase phase--conversation phase--${phase}`}>
            <span className="phase__dot" aria-hidden="true" />
            {t(PHASE_TEXT[phase as keyof typeof PHASE_TEXT])}
          </span>
          <span className="muted">
            {t('conversation.howToEnd')}
            {modes.conversation.interruptByVoice ? ` ${t('conversation.interruptOn')}` : ''}
          </span>
        </div>
      ) : (
        <p className="muted conversation__hint">{talkKey ? t('conversation.hint', { key: talkKey }) : t('conversation.hintNoKey')}</p>
      )}
      <button
        type="button"
        className={`button${active ? ' button--danger' : ''}`}
        data-testid="conversation-toggle"
        aria-pressed={active}
        onClick={() => void (active ? end.run() : start.run())}
        disabled={start.pending || end.pending}
      >
        {active ? t('conversation.end') : t('conversation.start')}
      </button>
      {endedNote && <p className="muted">{t(endedNote)}</p>}
      <ErrorMessage error={loadError ?? start.error ?? end.error ?? cancelDictation.error ?? (!active ? (modes.conversation.error ?? null) : null)} />
      {modes.dictation.phase !== 'idle' ? (
        <div className="row">
          <p className="muted" role="status" data-testid="dictation-status">
            {dictating ? t('dictation.recording', { key: dictationKey }) : t('dictation.writing')}
          </p>
          <button type="button" className="button button--quiet" onClick={() => void cancelDictation.run()} disabled={cancelDictation.pending}>
            {t('dictation.cancel')}
          </button>
        </div>
      ) : (
        dictationNote && (
          <p className="warning" role="note" data-testid="dictation-status">
            {dictationNote}
          </p>
        )
      )}
    </div>
  )
}
