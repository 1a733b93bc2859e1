/**
 * The assistant: one turn at a time. It composes the turn registry (turns and the state derived from
 * them), the push-to-talk recording, and the answer pipeline; this file holds only the rules that
 * join them: what a press, a release, a question, a retry and a stop do to the current turn.
 *
 * A new press, a new question or stop() cuts the turn at once: every request is aborted, the player
 * is silenced, and history keeps only what was heard.
 */
import { isSettled, type AssistantSnapshot, type AssistantState, type TurnView } from '../../shared/assistant'
import type { Settings } from '../../shared/settings'
import { Microphone } from '../audio/microphone'
import { startUploadEncoding } from '../audio/upload-encoding'
import { UPLOAD_SAMPLE_RATE } from '../audio/wav'
import { toUserError } from '../user-error'
import { AnswerPipeline, type AnswerDeps } from './answer-pipeline'
import { AssistantError, microphoneAllowedError } from './errors'
import { ConversationHistory } from './history'
import type { RecorderPort } from '../audio/recorder'
import { TurnRecording } from './recording'
import { TurnRegistry, type AssistantEvents, type QuestionSource, type Turn } from './turn-registry'

export interface AssistantDeps extends Omit<AnswerDeps, 'clock'> {
  recorder: RecorderPort
  /**
   * Permission and one user at a time: push-to-talk holds it from the press to the end of the turn.
   * Default: a microphone of the assistant's own (the command: no permission question, no other user).
   */
  microphone?: Microphone
  settings: () => Settings
  /** Milliseconds, monotonic. */
  clock?: () => number
  /**
   * The client's connections: opened while the key is held (a turn's requests then find them
   * ready), and no longer kept once the recording ends.
   */
  connections?: { warm(holdMs: number): unknown; cool(): void }
}

export interface Assistant {
  press(): AssistantState
  release(): AssistantState
  toggle(): AssistantState
  ask(text: string, o?: { fromTray?: boolean }): { turnId: string }
  /** A question in an audio file (wav or mp3 bytes). */
  askAudio(bytes: Uint8Array): { turnId: string }
  stop(): AssistantState
  retry(turnId: string): { turnId: string }
  newConversation(): AssistantSnapshot
  /** The phase, read off the current turn (cheap: the tray and the hotkey ask it often). */
  state(): AssistantState
  snapshot(): AssistantSnapshot
  /** Resolves with the turn once it is done, stopped or failed. */
  settled(turnId: string): Promise<TurnView>
  /** Ends every request; the assistant is not used after this. */
  dispose(): void
  on<E extends keyof AssistantEvents>(e: E, l: (v: AssistantEvents[E]) => void): () => void
}

export function createAssistant(deps: AssistantDeps): Assistant {
  const clock = deps.clock ?? (() => performance.now())
  const turns = new TurnRegistry(clock)
  const history = new ConversationHistory(() => deps.settings().historyTurns)
  const microphone = deps.microphone ?? new Microphone()
  /** Transcript requests outlive their turn (history wants them) but not the conversation. */
  let conversation = new AbortController()

  const isOver = (turn: Turn): boolean => isSettled(turn.view)
  const answers = new AnswerPipeline({ ...deps, clock }, turns, history, {
    fail,
    done(turn, spoken) {
      turns.stamp(turn, 'done')
      end(turn)
      recordHistory(turn, spoken)
      turns.set(turn, { status: 'done' }, { spoken })
    },
    isOver,
    conversationSignal: () => conversation.signal
  })

  /** Lets go of what a turn holds once it is over: its requests, its recording, the microphone. */
  function end(turn: Turn): void {
    if (turn.view.status === 'recording') deps.connections?.cool()
    turn.controller.abort()
    turn.recording?.cancel()
    turn.claim?.release()
  }

  /** Cuts the current turn short (barge-in, stop, a new question). Synchronous: silence comes at once. */
  function interrupt(): void {
    const turn = turns.current
    if (!turn || isOver(turn)) return
    end(turn)
    const heard = turn.queue?.stop()
    // A recording cut short is dropped; an answer cut short is kept as far as it was heard.
    if (turn.view.status === 'recording') {
      turns.set(turn, { status: 'stopped' })
      return
    }
    const spoken = heard ? heard.spokenText : ''
    turns.stamp(turn, 'done')
    recordHistory(turn, spoken)
    turns.set(turn, { status: 'stopped' }, { spoken })
  }

  function recordHistory(turn: Turn, answer: string): void {
    const v = turn.view
    const question = v.input === 'text' ? (v.question ?? '') : v.transcribing ? null : (v.question ?? null)
    history.add(v.id, question, answer)
  }

  function fail(turn: Turn, err: unknown): void {
    if (isOver(turn)) return
    end(turn)
    turn.queue?.stop()
    // Keep what can be retried: the recording, the file or the text. "No speech" is not worth a retry.
    const canRetry = turn.source !== undefined && !(err instanceof AssistantError && err.code === 'no-speech')
    turns.stamp(turn, 'done')
    turns.set(turn, { status: 'error', error: toUserError(err), canRetry })
  }

  // ------------------------------------------------------------------ push-to-talk

  function startRecording(): AssistantState {
    interrupt()
    const settings = deps.settings()
    // The handshakes happen while the user speaks, not after the release.
    void Promise.resolve(deps.connections?.warm(settings.maxRecordingSec * 1000 + 1000)).catch(() => undefined)
    const turn = turns.create('voice', 'recording')
    turn.recording = new TurnRecording(
      {
        level: (r) => turns.level(turn, r),
        autostop: () => finishRecording(turn),
        failed: (err) => fail(turn, err)
      },
      startUploadEncoding(settings.uploadFormat, UPLOAD_SAMPLE_RATE)
    )
    openMicrophone(turn)
    return turns.state()
  }

  function openMicrophone(turn: Turn): void {
    // Taken by a voice-sample recording or the microphone test: this turn ends.
    const onTaken = (): void => {
      if (turns.current === turn) interrupt()
    }
    const claim = microphone.claimIfAllowed('push-to-talk', onTaken)
    if (!claim) {
      // The system asks first (macOS). The press that asked does not record: its key is long released.
      microphone.claim('push-to-talk', onTaken).then(
        (asked) => {
          asked.release()
          fail(turn, microphoneAllowedError())
        },
        (err: unknown) => fail(turn, err)
      )
      return
    }
    turn.claim = claim
    try {
      const settings = deps.settings()
      turn.recording!.open(deps.recorder, {
        maxDurationMs: settings.maxRecordingSec * 1000,
        stopOnSilenceMs: settings.stopOnSilence ? settings.silenceMs : null
      })
    } catch (err) {
      fail(turn, err)
    }
  }

  function finishRecording(turn: Turn): void {
    if (turn.view.status !== 'recording') return
    const stopped = turn.recording?.stop()
    if (!stopped) return // the recorder is still starting: it ends as soon as it runs
    turn.t0 = clock()
    deps.connections?.cool()
    turns.set(turn, { status: 'thinking' })
    stopped.then(
      ({ upload, ...recording }) => {
        if (isOver(turn)) return
        turns.stamp(turn, 'release')
        answer(turn, { kind: 'voice', recording, ...(upload.length ? { upload } : {}) })
      },
      (err: unknown) => fail(turn, err)
    )
  }

  function answer(turn: Turn, source: QuestionSource): void {
    turn.source = source
    void answers.run(turn, source)
  }

  function begin(turn: Turn, source: QuestionSource): { turnId: string } {
    answer(turn, source)
    return { turnId: turn.view.id }
  }

  const recordingNow = (): boolean => turns.current?.view.status === 'recording'

  const assistant: Assistant = {
    press() {
      // Pressed while recording (a repeated key-down): nothing to do. Otherwise barge in.
      if (recordingNow()) return turns.state()
      return startRecording()
    },
    release() {
      const turn = turns.current
      if (turn && turn.view.status === 'recording') finishRecording(turn)
      return turns.state()
    },
    toggle() {
      if (recordingNow()) return assistant.release()
      return startRecording()
    },
    ask(text, o = {}) {
      if (!text.trim()) throw new AssistantError('There is no question to ask.', 'empty-question')
      interrupt()
      const turn = turns.create('text', 'thinking', { question: text, ...(o.fromTray ? { fromTray: true } : {}) })
      return begin(turn, { kind: 'text', text })
    },
    askAudio(bytes) {
      interrupt()
      return begin(turns.create('file', 'thinking'), { kind: 'file', bytes })
    },
    stop() {
      interrupt()
      return turns.state()
    },
    retry(turnId) {
      const old = turns.find(turnId)
      if (!old || !old.source || old.view.status !== 'error' || !old.view.canRetry)
        throw new AssistantError('That question cannot be asked again.', 'not-retryable', 'input', 'Ask it again instead.')
      interrupt()
      turns.set(old, { ...old.view, canRetry: false })
      const turn = turns.create(old.view.input, 'thinking', {
        ...(old.view.input === 'text' ? { question: old.view.question } : {}),
        ...(old.view.fromTray ? { fromTray: true } : {})
      })
      return begin(turn, old.source)
    },
    newConversation() {
      interrupt()
      conversation.abort()
      conversation = new AbortController()
      history.clear()
      turns.clear()
      return turns.snapshot()
    },
    state: () => turns.state(),
    snapshot: () => turns.snapshot(),
    settled(turnId) {
      return turns.settled(turnId) ?? Promise.reject(new AssistantError('There is no such question.', 'no-turn'))
    },
    dispose() {
      interrupt()
      conversation.abort()
    },
    on: (e, l) => turns.on(e, l)
  }
  return assistant
}
