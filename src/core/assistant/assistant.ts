/**
 * The assistant: one turn at a time. It composes the turn registry (turns and the state derived from
 * them), the push-to-talk recording, and the answer pipeline; this file holds only the rules that
 * join them: what a press, a release, a question, a retry and a stop do to the current turn.
 *
 * A new press, a new question or stop() cuts the turn at once: every request is aborted, the player
 * is silenced, and history keeps only what was heard.
 */
import { isSettled, type AssistantSnapshot, type AssistantState, type TurnView } from '../../shared/assistant'
import type { ContextRequest } from '../../shared/context'
import type { Settings } from '../../shared/settings'
import { Microphone } from '../audio/microphone'
import { startUploadEncoding } from '../audio/upload-encoding'
import { UPLOAD_SAMPLE_RATE } from '../audio/wav'
import { toUserError } from '../user-error'
import { AnswerPipeline, type AnswerDeps } from './answer-pipeline'
import { attachmentsOf, checkModelSees, historyMention, type GatheredContext } from '../context/context-parts'
import { AssistantError, microphoneAllowedError } from './errors'
import { ConversationHistory } from './history'
import type { RecorderPort, Recording } from '../audio/recorder'
import { TurnRecording } from './recording'
import { spokenWithoutCue, stopCalls } from './tool-loop'
import type { ConfirmationBroker } from '../tools/confirmations'
import { chatModelFor, completionText, transcriptRequest } from './requests'
import { spokenAnswer } from './spoken-answer'
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
  /** What a question carries besides itself (screen, selection, image files): gathered when it is asked. */
  context?: ContextTaker
  /**
   * Tool calls waiting for the user's yes. While the current turn waits, a press records the answer
   * ("yes" or "no") instead of a new question.
   */
  confirmations?: ConfirmationBroker
}

/** The part of the context service the assistant uses (src/core/context/context-service.ts). */
export interface ContextTaker {
  /** Starts gathering what the next question carries, plus `extra`; undefined when there is nothing. */
  take(extra?: ContextRequest): Promise<GatheredContext> | undefined
  wantsImages(extra?: ContextRequest): boolean
}

/** Context asked for with one press or question (on top of the window's switches for the next question). */
export interface AskOptions {
  context?: ContextRequest
}

export interface Assistant {
  press(o?: AskOptions): AssistantState
  release(): AssistantState
  toggle(o?: AskOptions): AssistantState
  ask(text: string, o?: { fromTray?: boolean } & AskOptions): { turnId: string }
  /** A question in an audio file (wav or mp3 bytes). */
  askAudio(bytes: Uint8Array, o?: AskOptions): { turnId: string }
  /**
   * A spoken question already recorded by someone else (the hands-free conversation, which holds the
   * microphone itself): a voice turn, timed from now.
   */
  askRecording(recording: Recording): { turnId: string }
  stop(): AssistantState
  retry(turnId: string): { turnId: string }
  newConversation(): AssistantSnapshot
  /**
   * A new conversation that carries on from earlier turns (kept in the history): they are shown, and
   * what was heard of them becomes the history the model sees with the next question.
   */
  resume(earlier: TurnView[]): AssistantSnapshot
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
  const confirmations = deps.confirmations
  const confirmTool = deps.confirmTool ?? (confirmations ? (turnId: string, r: Parameters<ConfirmationBroker['ask']>[1]) => confirmations.ask(turnId, r) : undefined)
  const answers = new AnswerPipeline({ ...deps, clock, confirmTool }, turns, history, {
    fail,
    done(turn, spoken) {
      turns.stamp(turn, 'done')
      end(turn)
      turn.context = undefined // only a failed turn is asked again: captured images are not kept
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
    turn.answerRecording?.cancel()
    turn.claim?.release()
  }

  /** Cuts the current turn short (barge-in, stop, a new question). Synchronous: silence comes at once. */
  function interrupt(): void {
    const turn = turns.current
    if (!turn || isOver(turn)) return
    end(turn)
    turn.context = undefined
    const heard = turn.queue?.stop()
    // A recording cut short is dropped; an answer cut short is kept as far as it was heard.
    if (turn.view.status === 'recording') {
      turns.set(turn, { status: 'stopped' })
      return
    }
    const spoken = heard ? spokenWithoutCue(heard, turn.cue) : ''
    turns.stamp(turn, 'done')
    recordHistory(turn, spoken)
    turns.set(turn, { status: 'stopped' }, { spoken, ...stopCalls(turn.view.toolCalls) })
  }

  function recordHistory(turn: Turn, answer: string): void {
    const v = turn.view
    const question = v.input === 'text' ? (v.question ?? '') : v.transcribing ? null : (v.question ?? null)
    history.add(v.id, question, answer, historyMention(v.attachments))
  }

  function fail(turn: Turn, err: unknown): void {
    if (isOver(turn)) return
    end(turn)
    turn.queue?.stop()
    // Keep what can be retried: the recording, the file or the text. "No speech" is not worth a retry.
    const canRetry = turn.source !== undefined && !(err instanceof AssistantError && err.code === 'no-speech')
    turns.stamp(turn, 'done')
    turns.set(turn, { status: 'error', error: toUserError(err), canRetry }, stopCalls(turn.view.toolCalls))
  }

  // ------------------------------------------------------------------ push-to-talk

  function startRecording(o: AskOptions = {}): AssistantState {
    interrupt()
    const settings = deps.settings()
    // The handshakes happen while the user speaks, not after the release.
    void Promise.resolve(deps.connections?.warm(settings.maxRecordingSec * 1000 + 1000)).catch(() => undefined)
    const turn = turns.create('voice', 'recording')
    // Captured at the press: what the user is looking at while asking.
    attachContext(turn, deps.context?.take(o.context))
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

  /** The turn carries this context; the card shows it as soon as it is gathered; a failure ends the turn at once. */
  function attachContext(turn: Turn, gathering: Promise<GatheredContext> | undefined): void {
    if (!gathering) return
    turn.context = gathering
    gathering.then(
      (context) => {
        if (!isOver(turn)) turns.update(turn, { attachments: attachmentsOf(context) })
      },
      (err: unknown) => {
        // Nothing was gathered: asking again means a new gesture, not a retry of this one.
        turn.context = undefined
        turn.source = undefined
        fail(turn, err)
      }
    )
  }

  /** A typed question with images needs a chat model that sees: refused before anything is captured. */
  function checkTypedQuestionSees(o: AskOptions): void {
    if (deps.context?.wantsImages(o.context)) checkModelSees(chatModelFor(deps.settings(), { kind: 'text', text: '' }))
  }

  // ------------------------------------------------------------------ a spoken yes or no

  /** The current turn waits for the user's yes to a tool call: the press records the answer. */
  function waitingTurn(): Turn | undefined {
    const turn = turns.current
    return turn && !isOver(turn) && turn.view.status === 'thinking' && confirmations?.waitingFor(turn.view.id) ? turn : undefined
  }

  function listenForAnswer(turn: Turn): void {
    const claim = turn.claim ?? microphone.claimIfAllowed('push-to-talk', () => undefined)
    if (!claim) return
    turn.claim = claim
    turns.set(turn, { status: 'recording' })
    const recording = new TurnRecording(
      {
        level: (r) => turns.level(turn, r),
        autostop: () => finishAnswer(turn),
        failed: () => {
          recording.cancel()
          if (turn.view.status === 'recording') turns.set(turn, { status: 'thinking' })
        }
      },
      startUploadEncoding(deps.settings().uploadFormat, UPLOAD_SAMPLE_RATE)
    )
    turn.answerRecording = recording
    try {
      recording.open(deps.recorder, { maxDurationMs: 10_000, stopOnSilenceMs: 1200 })
    } catch {
      turn.answerRecording = undefined
      turns.set(turn, { status: 'thinking' })
    }
  }

  function finishAnswer(turn: Turn): void {
    const recording = turn.answerRecording
    if (!recording || turn.view.status !== 'recording') return
    const stopped = recording.stop()
    if (!stopped) return
    turn.answerRecording = undefined
    turns.set(turn, { status: 'thinking' })
    const settings = deps.settings()
    stopped
      .then(async (r) => {
        if (!r.heardSpeech || isOver(turn)) return
        const completion = await deps.client.complete(transcriptRequest(settings, r.upload), { signal: turn.controller.signal })
        const yes = spokenAnswer(completionText(completion))
        if (yes !== null && !isOver(turn)) confirmations?.answerForTurn(turn.view.id, yes)
      })
      // Not understood: the call still waits (for a click, another press, or its time limit).
      .catch(() => {})
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
    press(o) {
      // Pressed while recording (a repeated key-down): nothing to do. Otherwise barge in.
      if (recordingNow()) return turns.state()
      const waiting = waitingTurn()
      if (waiting) {
        listenForAnswer(waiting)
        return turns.state()
      }
      return startRecording(o)
    },
    release() {
      const turn = turns.current
      if (turn?.answerRecording) finishAnswer(turn)
      else if (turn && turn.view.status === 'recording') finishRecording(turn)
      return turns.state()
    },
    toggle(o) {
      if (recordingNow()) return assistant.release()
      return assistant.press(o)
    },
    ask(text, o = {}) {
      if (!text.trim()) throw new AssistantError('There is no question to ask.', 'empty-question')
      checkTypedQuestionSees(o)
      interrupt()
      const turn = turns.create('text', 'thinking', { question: text, ...(o.fromTray ? { fromTray: true } : {}) })
      attachContext(turn, deps.context?.take(o.context))
      return begin(turn, { kind: 'text', text })
    },
    askAudio(bytes, o = {}) {
      interrupt()
      const turn = turns.create('file', 'thinking')
      attachContext(turn, deps.context?.take(o.context))
      return begin(turn, { kind: 'file', bytes })
    },
    askRecording(recording) {
      interrupt()
      const turn = turns.create('voice', 'thinking')
      turns.stamp(turn, 'release')
      // A hands-free turn is a question like any other: it takes the window's switches and waiting images.
      attachContext(turn, deps.context?.take())
      return begin(turn, { kind: 'voice', recording })
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
      // The same context as the first time: nothing is captured again (and the old turn lets go of it).
      attachContext(turn, old.context)
      old.context = undefined
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
    resume(earlier) {
      assistant.newConversation()
      for (const view of earlier) {
        turns.restore(view)
        if (view.status !== 'error') history.add(view.id, view.question ?? null, view.spoken)
      }
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
