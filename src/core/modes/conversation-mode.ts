/**
 * The hands-free conversation: the microphone stays open, a pause ends each turn, the assistant
 * answers it aloud (its own turns, pipeline and history), and listening resumes.
 *
 * - While an answer is thought of and spoken the microphone is not heard, unless "interrupt by voice"
 *   is on: then speech over the answer stops it (barge-in; history keeps what was heard) and becomes
 *   the next turn.
 * - It ends on stop() (shortcut, Esc, button, tray, the command), a spoken stop phrase (matched on
 *   the turn's transcript), a stretch of silence, the microphone taken by someone else, or a failed turn.
 * - It holds the microphone as one user (src/core/audio/microphone.ts), the way push-to-talk does.
 * - While the app announces something outside any turn (a timer's alert) the microphone is not heard
 *   either, so the alert is not taken for the next question.
 */
import { isSettled, type AssistantState, type LevelReading, type TurnView } from '../../shared/assistant'
import type { UserError } from '../../shared/errors'
import { CONVERSATION_OFF, conversationActive, type ConversationEnd, type ConversationPhase, type ConversationState } from '../../shared/modes'
import type { Settings } from '../../shared/settings'
import type { Assistant } from '../assistant/assistant'
import { levelReading, measureLevel } from '../audio/level'
import type { Microphone, MicrophoneClaim } from '../audio/microphone'
import type { Announcements } from '../announcements'
import { Listeners } from '../listeners'
import { toUserError } from '../user-error'
import { isStopPhrase } from './stop-phrases'
import { UtteranceDetector } from './utterance-detector'

/** A microphone stream that hands over every frame (the audio module's RecordingSession satisfies it). */
export interface ListeningSession {
  on(e: 'frame', l: (frame: Int16Array, speech: boolean) => void): unknown
  on(e: 'error', l: (err: Error) => void): unknown
  /** The recorder reached its length limit and stopped. */
  on(e: 'autostop', l: () => void): unknown
  cancel(): void
}

export interface ListeningRecorder {
  start(o: { maxDurationMs: number; stopOnSilenceMs: number | null; keepAudio: false }): ListeningSession
}

export interface ConversationDeps {
  assistant: Pick<Assistant, 'askRecording' | 'stop' | 'state' | 'on'>
  /** Should be a low-latency recorder: barge-in is promised within 300 ms. */
  recorder: ListeningRecorder
  microphone: Microphone
  settings: () => Settings
  /** What the app says outside any turn (src/core/announcements.ts). */
  announcements?: Pick<Announcements, 'playing' | 'on'>
}

export interface ConversationEvents {
  state: ConversationState
  /** The microphone's level while listening (the window's meter). */
  level: LevelReading
}

/** The recorder is told to stop by itself after this long: a conversation ends on silence long before. */
const MAX_CONVERSATION_MS = 4 * 60 * 60 * 1000

export class ConversationMode {
  readonly #d: ConversationDeps
  #state: ConversationState = CONVERSATION_OFF
  #claim: MicrophoneClaim | undefined
  #session: ListeningSession | undefined
  #detector: UtteranceDetector | undefined
  /** Turns asked in this conversation (their transcripts may still end it). */
  #turnIds = new Set<string>()
  /** Audio time spent listening without speech: the silence timeout. */
  #quietMs = 0
  #elapsedMs = 0
  /** A start is waiting for the system's microphone permission. */
  #asking = false
  #unsubscribe: Array<() => void> = []
  readonly #listeners = new Listeners<ConversationEvents>()

  constructor(deps: ConversationDeps) {
    this.#d = deps
  }

  state(): ConversationState {
    return { ...this.#state }
  }

  get active(): boolean {
    return conversationActive(this.#state)
  }

  /** Opens the microphone and listens. Where the system asks for the microphone first, it starts once allowed. */
  start(): ConversationState {
    if (this.active || this.#asking) return this.state()
    const onTaken = (): void => this.#end('microphone-taken')
    const claim = this.#d.microphone.claimIfAllowed('conversation', onTaken)
    if (claim) {
      this.#begin(claim)
      return this.state()
    }
    this.#asking = true
    this.#d.microphone.claim('conversation', onTaken).then(
      (asked) => {
        this.#asking = false
        this.#begin(asked)
      },
      (err: unknown) => {
        this.#asking = false
        this.#publish({ ...CONVERSATION_OFF, ended: 'error', error: toUserError(err) })
      }
    )
    return this.state()
  }

  /** Ends the conversation (the shortcut, Esc, the button, the tray, the command); an answer playing stops. */
  stop(): ConversationState {
    this.#end('user')
    return this.state()
  }

  /** Ends it if it runs; the mode is not used after this. */
  dispose(): void {
    this.#end('user')
  }

  on<E extends keyof ConversationEvents>(e: E, l: (v: ConversationEvents[E]) => void): () => void {
    return this.#listeners.on(e, l)
  }

  #begin(claim: MicrophoneClaim): void {
    const settings = this.#d.settings()
    this.#claim = claim
    // Whatever was being said or recorded is cut: the conversation starts now.
    this.#d.assistant.stop()
    this.#turnIds = new Set()
    this.#quietMs = 0
    this.#elapsedMs = 0
    const detector = new UtteranceDetector({ pauseMs: () => this.#d.settings().conversationPauseMs })
    detector.listen()
    this.#detector = detector
    this.#publish({ phase: 'listening', interruptByVoice: settings.conversationInterrupt, turns: 0 })
    this.#unsubscribe.push(
      this.#d.assistant.on('state', (s) => this.#onAssistantState(s)),
      this.#d.assistant.on('turn', (t) => this.#onTurn(t))
    )
    const announcements = this.#d.announcements
    if (announcements) this.#unsubscribe.push(announcements.on('change', (playing) => this.#onAnnouncement(playing)))
    try {
      const session = this.#d.recorder.start({ maxDurationMs: MAX_CONVERSATION_MS, stopOnSilenceMs: null, keepAudio: false })
      this.#session = session
      session.on('frame', (frame) => this.#onFrame(frame))
      session.on('error', (err) => this.#end('error', toUserError(err)))
      session.on('autostop', () => this.#end('silence'))
    } catch (err) {
      this.#end('error', toUserError(err))
    }
  }

  #onFrame(frame: Int16Array): void {
    const detector = this.#detector
    if (!detector || !this.active) return
    const ms = (frame.length * 1000) / detector.sampleRate
    this.#elapsedMs += ms
    for (const e of detector.push(frame)) {
      if (!this.active) return
      if (e.type === 'speech-start') {
        this.#quietMs = 0
        // Only heard during an answer when interrupting by voice is on: the answer stops (history keeps what was heard).
        if (this.#answering()) this.#d.assistant.stop()
        this.#setPhase('hearing')
      } else if (e.type === 'noise') {
        this.#setPhase('listening')
      } else {
        const { turnId } = this.#d.assistant.askRecording(e.utterance)
        this.#turnIds.add(turnId)
        this.#state = { ...this.#state, turns: this.#state.turns + 1 }
        this.#setPhase('answering')
      }
    }
    if (!this.active) return
    if (this.#state.phase === 'listening') {
      this.#quietMs += ms
      if (this.#quietMs >= this.#d.settings().conversationTimeoutSec * 1000) return this.#end('silence')
    }
    if (this.#state.phase !== 'answering' || this.#state.interruptByVoice) {
      this.#listeners.fire('level', levelReading(measureLevel(frame), detector.hearing, this.#elapsedMs))
    }
  }

  #answering(): boolean {
    const phase = this.#d.assistant.state().phase
    return phase === 'thinking' || phase === 'speaking'
  }

  /** Any answer (this conversation's, a typed question's) closes the ear unless interrupting by voice is on. */
  #onAssistantState(s: AssistantState): void {
    if (!this.active) return
    if (s.phase === 'thinking' || s.phase === 'speaking') {
      this.#setPhase('answering')
    } else if (s.phase === 'recording') {
      // Push-to-talk took over: its claim of the microphone ends the conversation.
    } else if (this.#state.phase === 'answering') {
      this.#quietMs = 0
      this.#setPhase(this.#detector?.hearing ? 'hearing' : 'listening')
    }
  }

  #onTurn(view: TurnView): void {
    if (!this.active || !this.#turnIds.has(view.id)) return
    // The transcript may land before or after the answer: either way a stop phrase ends the conversation.
    if (view.question && !view.transcribing && isStopPhrase(view.question)) return this.#end('stop-phrase')
    if (isSettled(view)) {
      if (view.status === 'error') return this.#end('error', view.error)
      if (!view.transcribing) this.#turnIds.delete(view.id)
    }
  }

  /** An announcement starting drops speech being heard (it may be the alert itself); its end reopens the ear. */
  #onAnnouncement(playing: boolean): void {
    const phase = this.#state.phase
    if (phase === 'off') return
    this.#setPhase(playing && phase === 'hearing' ? 'listening' : phase)
  }

  #setPhase(phase: Exclude<ConversationPhase, 'off'>): void {
    const detector = this.#detector
    if (detector) {
      const answering = phase === 'answering' && !this.#state.interruptByVoice
      if (answering || this.#d.announcements?.playing) detector.mute()
      else detector.listen()
    }
    if (this.#state.phase !== phase) this.#publish({ ...this.#state, phase })
  }

  #end(reason: ConversationEnd, error?: UserError): void {
    if (!this.active) return
    const session = this.#session
    this.#session = undefined
    this.#detector = undefined
    for (const off of this.#unsubscribe.splice(0)) off()
    try {
      session?.cancel()
    } catch {
      // the recorder is going away anyway
    }
    this.#claim?.release()
    this.#claim = undefined
    // The microphone went to push-to-talk or dictation: whatever they started is theirs, leave it be.
    if (reason !== 'microphone-taken') this.#d.assistant.stop()
    this.#publish({ ...this.#state, phase: 'off', ended: reason, ...(error ? { error } : {}) })
  }

  #publish(state: ConversationState): void {
    this.#state = state
    this.#listeners.fire('state', this.state())
  }

}
