import { useCallback, useEffect, useRef, useState, type ClipboardEvent, type DragEvent, type FormEvent } from 'react'
import { applyReplyDelta, type AssistantState, type TurnView } from '../../../shared/assistant'
import type { UserError } from '../../../shared/errors'
import { acceleratorLabel } from '../accelerator-label'
import { userErrorOf } from '../api-client'
import { useApp } from '../app-context'
import { ErrorMessage } from '../error-message'
import { useT, type MessageKey } from '../i18n'
import { useAction } from '../use-action'
import { attachImages, ContextBar, imageFiles } from './context-bar'
import { ConversationBar } from './conversation-bar'
import { LiveLevel } from './live-level'
import { PushToTalkButton } from './push-to-talk-button'
import { TimersPanel } from './timers-panel'
import { TurnCard } from './turn-card'

const PHASE_LABEL: Record<AssistantState['phase'], MessageKey> = {
  idle: 'phase.idle',
  recording: 'phase.recording',
  thinking: 'phase.thinking',
  speaking: 'phase.speaking',
  error: 'phase.error'
}

function upsert(turns: TurnView[], turn: TurnView): TurnView[] {
  const i = turns.findIndex((t) => t.id === turn.id)
  if (i === -1) return [...turns, turn]
  const next = turns.slice()
  next[i] = turn
  return next
}

/** The conversation: talk button, level, state, streaming turns, typed and quick questions. */
export function TalkView() {
  const { client, settings, hotkey, platform } = useApp()
  const t = useT()
  const [state, setState] = useState<AssistantState>({ phase: 'idle' })
  const [turns, setTurns] = useState<TurnView[]>([])
  const [error, setError] = useState<UserError | null>(null)
  const [loaded, setLoaded] = useState(false)
  const [contextError, setContextError] = useState<UserError | null>(null)
  /** A hands-free conversation or a dictation has the microphone open: the meter shows it. */
  const [listening, setListening] = useState(false)
  const logRef = useRef<HTMLDivElement>(null)
  // An image dropped anywhere on the view, or pasted in the question box, goes with the next question.
  const attach = useCallback((files: File[]) => void attachImages(client, files, t).then(setContextError), [client, t])
  const onDragOver = (e: DragEvent) => {
    if (Array.from(e.dataTransfer.types).includes('Files')) e.preventDefault()
  }
  const onDrop = (e: DragEvent) => {
    e.preventDefault()
    attach(imageFiles(e.dataTransfer.files))
  }

  useEffect(() => {
    const offs = [
      client.on('assistant:state', setState),
      client.on('assistant:turn', (turn) => setTurns((prev) => upsert(prev, turn))),
      // While an answer streams only its new text comes; a whole turn follows every other change.
      client.on('assistant:reply', (delta) => setTurns((prev) => applyReplyDelta(prev, delta)))
    ]
    // Events and the snapshot's answer come down one ordered channel: the snapshot includes every
    // event received before it, so it replaces what those events built.
    client
      .call('assistant:snapshot')
      .then(
        (snap) => {
          setState(snap.state)
          setTurns(snap.turns)
        },
        (err: unknown) => setError(userErrorOf(err))
      )
      .finally(() => setLoaded(true))
    return () => offs.forEach((off) => off())
  }, [client])

  // Follow the newest text as it streams in.
  useEffect(() => {
    const log = logRef.current
    if (log) log.scrollTop = log.scrollHeight
  }, [turns])

  const stop = useAction(() => client.call('assistant:stop').then(setState))
  const fresh = useAction(() =>
    client.call('assistant:new-conversation').then((snap) => {
      setState(snap.state)
      setTurns(snap.turns)
    })
  )
  const retry = useAction((turnId: string) => client.call('assistant:retry', { turnId }))
  const ask = useAction((text: string) => client.call('assistant:ask', { text }))
  // Stable, so a streaming turn redraws only its own card.
  const retryRun = retry.run
  const onRetry = useCallback((turnId: string) => void retryRun(turnId), [retryRun])

  // A failed turn shows its error in its own card; this line is for calls that failed.
  const shownError = error ?? stop.error ?? fresh.error ?? retry.error ?? ask.error

  return (
    <div className="talk" onDragOver={onDragOver} onDrop={onDrop} title={t('talk.dropHint')}>
      <div className="talk__status">
        <span className={`phase phase--${state.phase}`} role="status" data-testid="assistant-phase" data-phase={state.phase}>
          <span className="phase__dot" aria-hidden="true" />
          {t(PHASE_LABEL[state.phase])}
        </span>
        <button type="button" className="button button--quiet" onClick={() => void fresh.run()} disabled={fresh.pending}>
          {t('talk.newConversation')}
        </button>
      </div>

      <div className="talk__log" ref={logRef} role="log" aria-label={t('talk.conversation')} aria-busy={!loaded} tabIndex={0}>
        {turns.length === 0 ? (
          <p className="talk__empty">{t('talk.empty')}</p>
        ) : (
          turns.map((turn, i) => <TurnCard key={turn.id} turn={turn} index={i} onRetry={onRetry} retrying={retry.pending} />)
        )}
      </div>

      <TimersPanel />

      <div className="talk__controls">
        <ErrorMessage error={shownError} />
        <ContextBar error={contextError} onError={setContextError} />
        <div className="talk__ptt-row">
          <span />
          <PushToTalkButton client={client} phase={state.phase} onState={setState} onError={setError} />
          <button
            type="button"
            className="button talk__stop"
            onClick={() => void stop.run()}
            disabled={stop.pending || (state.phase !== 'speaking' && state.phase !== 'thinking')}
          >
            {t('talk.stop')}
          </button>
        </div>
        {/* The meter's row is always there, so the layout does not jump when recording starts. */}
        <div className="talk__meter">{(state.phase === 'recording' || listening) && <LiveLevel />}</div>
        <ConversationBar onListening={setListening} />
        <p className="talk__hotkey">
          {hotkey && hotkey.activeMode !== 'none'
            ? t('talk.hotkeyHint', { key: acceleratorLabel(hotkey.accelerator, platform) })
            : t('talk.buttonHint')}
        </p>
        {settings.quickQuestions.length > 0 && (
          <div className="quick" role="group" aria-label={t('talk.quickQuestions')}>
            {settings.quickQuestions.map((q, i) => (
              <button key={`${i}:${q}`} type="button" className="chip" title={q} onClick={() => void ask.run(q)}>
                {q}
              </button>
            ))}
          </div>
        )}
        <AskBox onAsk={(text) => ask.run(text)} onImages={attach} />
      </div>
    </div>
  )
}

function AskBox({ onAsk, onImages }: { onAsk(text: string): Promise<unknown>; onImages(files: File[]): void }) {
  const t = useT()
  const [text, setText] = useState('')
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const q = text.trim()
    if (!q) return
    setText('')
    void onAsk(q)
  }
  const paste = (e: ClipboardEvent) => {
    const images = imageFiles(e.clipboardData.files)
    if (!images.length) return
    e.preventDefault()
    onImages(images)
  }
  return (
    <form className="ask" onSubmit={submit}>
      <label className="visually-hidden" htmlFor="ask-input">
        {t('talk.typeLabel')}
      </label>
      <input
        id="ask-input"
        className="input"
        type="text"
        value={text}
        maxLength={2000}
        placeholder={t('talk.typePlaceholder')}
        autoComplete="off"
        onChange={(e) => setText(e.target.value)}
        onPaste={paste}
      />
      <button type="submit" className="button button--primary" disabled={!text.trim()}>
        {t('talk.ask')}
      </button>
    </form>
  )
}
