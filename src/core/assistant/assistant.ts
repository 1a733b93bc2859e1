/**
 * The assistant: one turn at a time, as a pipeline.
 *
 *   recording / audio file / typed text
 *     -> streamed answer from the chat model (text deltas)
 *     -> sentence splitter -> speech queue (synthesises ahead, writes in order) -> one player
 *   and, beside it, the transcript of a spoken question (off the critical path, for the UI and history).
 *
 * A new press, a new question or stop() cuts the turn at once: every request is aborted, the player
 * is silenced, and history keeps only what was heard.
 */
import type { AssistantPhase, AssistantState, LevelReading, TurnInput, TurnTimings, TurnView } from '../../shared/assistant'
import type { UserError } from '../../shared/errors'
import type { AssistantSnapshot } from '../../shared/ipc'
import type { Settings } from '../../shared/settings'
import { encodeWav, prepareForUpload } from '../audio/wav'
import { isAbortError } from '../mimo/errors'
import { toUserError } from '../user-error'
import { AssistantError, emptyAnswerError, microphoneDeniedError, noSpeechError } from './errors'
import { ConversationHistory } from './history'
import { addSources, answerRequest, completionText, toTurnUsage, transcriptRequest, type Question } from './requests'
import { SentenceSplitter } from './sentence-splitter'
import { SpeechQueue, type SpeechEvent, type SpeechSink } from './speech-queue'
import { createSynthesizer, type ChatClient } from './synthesizer'
import type { VoiceResolver } from './voice-resolver'

/** A finished recording (the audio module's Recording satisfies it): 16 kHz mono PCM16. */
export interface RecordingLike {
  pcm: Int16Array
  sampleRate: number
  durationMs: number
  heardSpeech: boolean
}

/** A recording in progress (the audio module's RecordingSession satisfies it). */
export interface RecordingSessionPort {
  on(e: 'level', l: (r: LevelReading) => void): unknown
  on(e: 'autostop', l: (reason: 'max-length' | 'silence') => void): unknown
  on(e: 'error', l: (err: Error) => void): unknown
  stop(): Promise<RecordingLike>
  cancel(): void
}

/** The microphone (the audio module's Recorder satisfies it). */
export interface RecorderPort {
  start(o?: { maxDurationMs?: number; stopOnSilenceMs?: number | null }): RecordingSessionPort
}

export interface AssistantDeps {
  client: ChatClient
  recorder: RecorderPort
  /** A player, started now so its start-up is off the critical path. */
  createSink: () => Promise<SpeechSink>
  settings: () => Settings
  voices: VoiceResolver
  /** Milliseconds, monotonic. */
  clock?: () => number
  /** macOS asks once before the microphone is used; false refuses the recording. */
  microphonePermission?: () => Promise<boolean>
  /** Speak answers (default true). The command line's --no-speak turns it off. */
  speak?: () => boolean
  /** The sink plays in real time (default true); false for a file or a pipe. */
  realtimeSink?: boolean
  /** Sentences synthesised ahead of the one playing (default 2). */
  prefetch?: number
  /** Start speech for a sentence that probably ends here before the next token confirms it (default true). */
  speculativeTts?: boolean
  /** Each speech-queue event, with the turn it belongs to (timings and benchmarks). */
  onSpeechEvent?: (turnId: string, e: SpeechEvent) => void
}

type Source =
  | { kind: 'voice'; recording: RecordingLike }
  | { kind: 'file'; bytes: Uint8Array }
  | { kind: 'text'; text: string }

interface Turn {
  view: TurnView
  source?: Source
  controller: AbortController
  /** Clock time the turn's timings count from (key released, question typed). */
  t0: number
  session?: RecordingSessionPort
  queue?: SpeechQueue
  /** Ended (done, stopped or failed): later events of its requests are ignored. */
  over: boolean
  /** Release came while the recorder was still starting. */
  releaseWanted?: boolean
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
  /**
   * A new conversation that carries on from earlier turns (kept in the history): they are shown, and
   * what was heard of them becomes the history the model sees with the next question.
   */
  resume(earlier: TurnView[]): AssistantSnapshot
  snapshot(): AssistantSnapshot
  /** Resolves with the turn once it is done, stopped or failed. */
  settled(turnId: string): Promise<TurnView>
  /** Ends every request; the assistant is not used after this. */
  dispose(): void
  on(e: 'state', l: (s: AssistantState) => void): () => void
  on(e: 'level', l: (r: LevelReading) => void): () => void
  on(e: 'turn', l: (t: TurnView) => void): () => void
}

const MAX_TURNS_KEPT = 100
const SETTLED: TurnView['status'][] = ['done', 'stopped', 'error']

export function createAssistant(deps: AssistantDeps): Assistant {
  const clock = deps.clock ?? (() => performance.now())
  const listeners = {
    state: new Set<(s: AssistantState) => void>(),
    level: new Set<(r: LevelReading) => void>(),
    turn: new Set<(t: TurnView) => void>()
  }
  const history = new ConversationHistory(() => deps.settings().historyTurns)
  let state: AssistantState = { phase: 'idle' }
  let turns: Turn[] = []
  let current: Turn | null = null
  let counter = 0
  /** Transcript requests outlive their turn (history wants them) but not the conversation. */
  let conversation = new AbortController()

  const setState = (phase: AssistantPhase, turnId?: string, error?: UserError): AssistantState => {
    if (state.phase === phase && state.turnId === turnId && state.error === error) return state
    state = { phase, ...(turnId ? { turnId } : {}), ...(error ? { error } : {}) }
    for (const l of listeners.state) safeCall(l, state)
    return state
  }
  const emitTurn = (turn: Turn): void => {
    const view = cloneView(turn.view)
    for (const l of listeners.turn) safeCall(l, view)
  }
  const stamp = (turn: Turn, key: keyof TurnTimings): void => {
    if (turn.view.timings[key] === undefined) turn.view.timings[key] = Math.max(0, Math.round(clock() - turn.t0))
  }

  function newTurn(input: TurnInput, extra: Partial<TurnView> = {}): Turn {
    const id = `turn-${Date.now().toString(36)}-${(++counter).toString(36)}`
    const turn: Turn = {
      view: {
        id,
        input,
        reply: '',
        spoken: '',
        sources: [],
        status: 'thinking',
        timings: {},
        canRetry: false,
        startedAt: new Date().toISOString(),
        ...extra
      },
      controller: new AbortController(),
      t0: clock(),
      over: false
    }
    turns.push(turn)
    if (turns.length > MAX_TURNS_KEPT) turns = turns.slice(turns.length - MAX_TURNS_KEPT)
    current = turn
    return turn
  }

  /** Cuts the current turn short (barge-in, stop, a new question). Synchronous: silence comes at once. */
  function interrupt(): void {
    const turn = current
    if (!turn || turn.over) return
    turn.over = true
    turn.controller.abort()
    if (turn.session) {
      const session = turn.session
      turn.session = undefined
      safeCall(() => session.cancel(), undefined)
    }
    const heard = turn.queue?.stop()
    const wasRecording = turn.view.status === 'recording'
    turn.view.status = 'stopped'
    // A recording cut short is dropped; an answer cut short is kept as far as it was heard.
    if (!wasRecording) {
      turn.view.spoken = heard ? heard.spokenText : ''
      stamp(turn, 'done')
      recordHistory(turn, turn.view.spoken)
    }
    emitTurn(turn)
  }

  function recordHistory(turn: Turn, answer: string): void {
    const question = turn.view.input === 'text' ? (turn.view.question ?? '') : turn.view.transcribing ? null : (turn.view.question ?? null)
    history.add(turn.view.id, question, answer)
  }

  function fail(turn: Turn, err: unknown): void {
    if (turn.over) return
    turn.over = true
    turn.controller.abort()
    turn.queue?.stop()
    const error = toUserError(err)
    turn.view.status = 'error'
    turn.view.error = error
    // Keep what can be retried: the recording, the file or the text. "No speech" is not worth a retry.
    turn.view.canRetry = turn.source !== undefined && !(err instanceof AssistantError && err.code === 'no-speech')
    stamp(turn, 'done')
    emitTurn(turn)
    if (current === turn) setState('error', turn.view.id, error)
  }

  // ------------------------------------------------------------------ recording

  function startRecording(): AssistantState {
    interrupt()
    const turn = newTurn('voice', { status: 'recording' })
    emitTurn(turn)
    setState('recording', turn.view.id)
    void openMicrophone(turn)
    return state
  }

  async function openMicrophone(turn: Turn): Promise<void> {
    try {
      if (deps.microphonePermission && !(await deps.microphonePermission())) throw microphoneDeniedError()
      if (turn.over) return
      const settings = deps.settings()
      const session = deps.recorder.start({
        maxDurationMs: settings.maxRecordingSec * 1000,
        stopOnSilenceMs: settings.stopOnSilence ? settings.silenceMs : null
      })
      turn.session = session
      session.on('level', (r) => {
        if (current === turn && !turn.over) for (const l of listeners.level) safeCall(l, r)
      })
      session.on('autostop', () => finishRecording(turn))
      session.on('error', (err) => fail(turn, err))
      if (turn.releaseWanted) finishRecording(turn)
    } catch (err) {
      fail(turn, err)
    }
  }

  function finishRecording(turn: Turn): void {
    if (turn.over || turn.view.status !== 'recording') return
    if (!turn.session) {
      turn.releaseWanted = true
      return
    }
    const session = turn.session
    turn.session = undefined
    turn.t0 = clock()
    turn.view.status = 'thinking'
    emitTurn(turn)
    setState('thinking', turn.view.id)
    session.stop().then(
      (recording) => {
        if (turn.over) return
        stamp(turn, 'release')
        turn.source = { kind: 'voice', recording }
        void runTurn(turn)
      },
      (err: unknown) => fail(turn, err)
    )
  }

  // ------------------------------------------------------------------ the turn

  async function runTurn(turn: Turn): Promise<void> {
    const settings = deps.settings()
    const source = turn.source!
    turn.view.status = 'thinking'
    if (current === turn) setState('thinking', turn.view.id)
    try {
      let question: Question
      if (source.kind === 'voice') {
        if (!source.recording.heardSpeech) throw noSpeechError()
        question = { kind: 'audio', bytes: encodeWav(source.recording.pcm, source.recording.sampleRate) }
      } else if (source.kind === 'file') {
        question = { kind: 'audio', bytes: prepareForUpload(source.bytes).bytes }
      } else {
        question = { kind: 'text', text: source.text }
      }

      const speak = deps.speak?.() ?? true
      if (speak) {
        // The player and the voice get ready while the model thinks.
        const voice = deps.voices.resolve(settings.voice)
        voice.catch(() => {})
        turn.queue = new SpeechQueue({
          synthesize: createSynthesizer({ client: deps.client, voice, style: settings.speakingStyle, builtinModel: settings.ttsModel }),
          sink: deps.createSink(),
          prefetch: deps.prefetch,
          realtime: deps.realtimeSink ?? true,
          clock,
          onEvent: (e) => onSpeech(turn, e)
        })
        turn.queue.done.catch((err: unknown) => fail(turn, err))
      }

      const request = answerRequest(settings, history.messages(), question)
      const splitter = new SentenceSplitter()
      const events = deps.client.chat(request, { signal: turn.controller.signal })
      stamp(turn, 'requestSent')
      emitTurn(turn)
      for await (const event of events) {
        if (turn.over) return
        // The transcript is for the UI and history: asked once the answer is on its way.
        if (question.kind === 'audio' && turn.view.transcribing === undefined) transcribe(turn, settings, question.bytes)
        switch (event.type) {
          case 'text': {
            stamp(turn, 'firstToken')
            turn.view.reply += event.text
            if (turn.queue) {
              for (const sentence of splitter.push(event.text)) enqueue(turn, sentence)
              if (deps.speculativeTts !== false) turn.queue.speculate(splitter.tentative())
            }
            emitTurn(turn)
            break
          }
          case 'annotations':
            turn.view.sources = addSources(turn.view.sources, event.annotations)
            emitTurn(turn)
            break
          case 'search-error':
            // Shown, not fatal: the answer goes on without the search.
            turn.view.searchError = event.message
            emitTurn(turn)
            break
          case 'usage':
            turn.view.usage = toTurnUsage(event.usage)
            break
          default:
            break
        }
      }
      if (turn.over) return
      if (!turn.view.reply.trim()) throw emptyAnswerError()

      let delivered = turn.view.reply
      if (turn.queue) {
        for (const sentence of splitter.flush()) enqueue(turn, sentence)
        const result = await turn.queue.end()
        if (turn.over) return
        delivered = result.spokenText
      }
      turn.over = true
      turn.view.spoken = delivered
      turn.view.status = 'done'
      stamp(turn, 'done')
      recordHistory(turn, delivered)
      emitTurn(turn)
      if (current === turn) setState('idle')
    } catch (err) {
      if (turn.over || (isAbortError(err) && turn.controller.signal.aborted)) return
      fail(turn, err)
    }
  }

  function enqueue(turn: Turn, sentence: string): void {
    stamp(turn, 'firstSentence')
    turn.queue!.push(sentence)
  }

  function onSpeech(turn: Turn, e: SpeechEvent): void {
    if (e.type === 'tts-request') stamp(turn, 'firstTtsRequest')
    if (e.type === 'write' && turn.view.timings.firstAudio === undefined && !turn.over) {
      stamp(turn, 'firstAudio')
      turn.view.status = 'speaking'
      emitTurn(turn)
      if (current === turn) setState('speaking', turn.view.id)
    }
    deps.onSpeechEvent?.(turn.view.id, e)
  }

  function transcribe(turn: Turn, settings: Settings, bytes: Uint8Array): void {
    turn.view.transcribing = true
    const signal = conversation.signal
    deps.client.complete(transcriptRequest(settings, bytes), { signal }).then(
      (completion) => {
        if (signal.aborted) return
        const text = completionText(completion)
        turn.view.transcribing = false
        if (text) {
          turn.view.question = text
          history.setQuestion(turn.view.id, text)
        }
        emitTurn(turn)
      },
      () => {
        // The transcript is a convenience: the answer does not depend on it.
        if (signal.aborted) return
        turn.view.transcribing = false
        emitTurn(turn)
      }
    )
  }

  function begin(turn: Turn): { turnId: string } {
    emitTurn(turn)
    setState('thinking', turn.view.id)
    void runTurn(turn)
    return { turnId: turn.view.id }
  }

  function find(turnId: string): Turn | undefined {
    return turns.find((t) => t.view.id === turnId)
  }

  const assistant: Assistant = {
    press() {
      // Pressed while recording (a repeated key-down): nothing to do. Otherwise barge in.
      if (state.phase === 'recording' && current && !current.over) return state
      return startRecording()
    },
    release() {
      if (current && !current.over && current.view.status === 'recording') finishRecording(current)
      return state
    },
    toggle() {
      if (state.phase === 'recording' && current && !current.over) return assistant.release()
      return startRecording()
    },
    ask(text, o = {}) {
      if (!text.trim()) throw new AssistantError('There is no question to ask.', 'empty-question')
      interrupt()
      const turn = newTurn('text', { question: text, ...(o.fromTray ? { fromTray: true } : {}) })
      turn.source = { kind: 'text', text }
      return begin(turn)
    },
    askAudio(bytes) {
      interrupt()
      const turn = newTurn('file')
      turn.source = { kind: 'file', bytes }
      return begin(turn)
    },
    stop() {
      interrupt()
      return setState('idle')
    },
    retry(turnId) {
      const old = find(turnId)
      if (!old || !old.source || !old.view.canRetry)
        throw new AssistantError('That question cannot be asked again.', 'not-retryable', 'input', 'Ask it again instead.')
      interrupt()
      old.view.canRetry = false
      emitTurn(old)
      const turn = newTurn(old.view.input, {
        ...(old.view.input === 'text' ? { question: old.view.question } : {}),
        ...(old.view.fromTray ? { fromTray: true } : {})
      })
      turn.source = old.source
      return begin(turn)
    },
    newConversation() {
      interrupt()
      conversation.abort()
      conversation = new AbortController()
      history.clear()
      turns = []
      current = null
      setState('idle')
      return assistant.snapshot()
    },
    resume(earlier) {
      assistant.newConversation()
      for (const view of earlier) {
        turns.push({ view: cloneView(view), controller: new AbortController(), t0: clock(), over: true })
        if (view.status !== 'error') history.add(view.id, view.question ?? null, view.spoken)
      }
      return assistant.snapshot()
    },
    snapshot() {
      return { state: { ...state }, turns: turns.map((t) => cloneView(t.view)) }
    },
    settled(turnId) {
      const turn = find(turnId)
      if (!turn) return Promise.reject(new AssistantError('There is no such question.', 'no-turn'))
      if (SETTLED.includes(turn.view.status)) return Promise.resolve(cloneView(turn.view))
      return new Promise((resolve) => {
        const off = assistant.on('turn', (t) => {
          if (t.id === turnId && SETTLED.includes(t.status)) {
            off()
            resolve(t)
          }
        })
      })
    },
    dispose() {
      interrupt()
      conversation.abort()
    },
    on(e: 'state' | 'level' | 'turn', l: (v: never) => void): () => void {
      const set = listeners[e] as Set<(v: never) => void>
      set.add(l)
      return () => set.delete(l)
    }
  } as Assistant
  return assistant
}

function cloneView(view: TurnView): TurnView {
  return { ...view, sources: [...view.sources], timings: { ...view.timings }, ...(view.usage ? { usage: { ...view.usage } } : {}) }
}

/** A listener's fault must not break the turn. */
function safeCall<T>(fn: (v: T) => void, v: T): void {
  try {
    fn(v)
  } catch {
    // ignored: listeners belong to the UI
  }
}
