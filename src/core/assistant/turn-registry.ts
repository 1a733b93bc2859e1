/**
 * The assistant's turns and the one state derived from them. A turn's status is a tagged union
 * (src/shared/assistant.ts); the assistant's phase is never stored, it is read off the current turn.
 * Listeners get a whole turn when anything but its text changes, and only the new text (a reply
 * delta) while the answer streams.
 */
import {
  isSettled,
  stateOf,
  type AssistantSnapshot,
  type AssistantState,
  type LevelReading,
  type ReplyDelta,
  type TurnBase,
  type TurnInput,
  type TurnState,
  type TurnTimings,
  type TurnView
} from '../../shared/assistant'
import type { MicrophoneClaim } from '../audio/microphone'
import type { GatheredContext } from '../context/context-parts'
import type { SpeechQueue } from './speech-queue'
import type { Recording } from '../audio/recorder'
import type { TurnRecording } from './recording'

/** What a turn asks: kept so a failed turn can be asked again. */
export type QuestionSource =
  /** `upload`: the recording as encoded while it was made. */
  | { kind: 'voice'; recording: Recording; upload?: Uint8Array }
  | { kind: 'file'; bytes: Uint8Array }
  | { kind: 'text'; text: string }

/** A turn as the assistant holds it: its view, and the live parts that end with it. */
export interface Turn {
  view: TurnView
  source?: QuestionSource
  /** Aborts every request of the turn. */
  controller: AbortController
  /** Clock time the turn's timings count from (key released, question typed). */
  t0: number
  /** The microphone, held from the press until the turn ends (a voice-sample recording takes it back). */
  claim?: MicrophoneClaim
  recording?: TurnRecording
  /** A spoken yes or no to a tool call waiting for it (the turn shows as recording meanwhile). */
  answerRecording?: TurnRecording
  queue?: SpeechQueue
  /** What the question carries besides itself, gathered when it was asked (kept for a retry). */
  context?: Promise<GatheredContext>
  /** The spoken cue while a tool ran: its place in the speech queue (it is not part of the answer). */
  cue?: { index: number; text: string }
  /** Asks for the transcript of a spoken question (once the first audio plays; later calls do nothing). */
  transcribe?: () => void
}

export interface AssistantEvents {
  state: AssistantState
  level: LevelReading
  turn: TurnView
  reply: ReplyDelta
}
type Listener<E extends keyof AssistantEvents> = (v: AssistantEvents[E]) => void

const MAX_TURNS_KEPT = 100

export class TurnRegistry {
  #turns: Turn[] = []
  #current: Turn | null = null
  #counter = 0
  #state: AssistantState = { phase: 'idle' }
  readonly #listeners: { [E in keyof AssistantEvents]: Set<Listener<E>> } = {
    state: new Set(),
    level: new Set(),
    turn: new Set(),
    reply: new Set()
  }

  constructor(private readonly clock: () => number) {}

  get current(): Turn | null {
    return this.#current
  }

  state(): AssistantState {
    return this.#state
  }

  /** A new turn, which becomes the current one. */
  create(input: TurnInput, status: 'recording' | 'thinking', extra: Partial<TurnBase> = {}): Turn {
    const id = `turn-${Date.now().toString(36)}-${(++this.#counter).toString(36)}`
    const turn: Turn = {
      view: { id, input, reply: '', spoken: '', sources: [], timings: {}, startedAt: new Date().toISOString(), ...extra, status },
      controller: new AbortController(),
      t0: this.clock()
    }
    this.#turns.push(turn)
    if (this.#turns.length > MAX_TURNS_KEPT) this.#turns = this.#turns.slice(this.#turns.length - MAX_TURNS_KEPT)
    this.#current = turn
    this.emit(turn)
    return turn
  }

  find(turnId: string): Turn | undefined {
    return this.#turns.find((t) => t.view.id === turnId)
  }

  isCurrent(turn: Turn): boolean {
    return this.#current === turn
  }

  /** Changes the turn's status (and any other fields) and tells the listeners. */
  set(turn: Turn, state: TurnState, fields: Partial<TurnBase> = {}): void {
    const { status: _s, ...base } = turn.view as TurnView & { error?: unknown; canRetry?: unknown }
    delete base.error
    delete base.canRetry
    turn.view = { ...base, ...fields, ...state }
    this.emit(turn)
  }

  /** Changes fields other than the status and tells the listeners. */
  update(turn: Turn, fields: Partial<TurnBase>): void {
    turn.view = { ...turn.view, ...fields }
    this.emit(turn)
  }

  /** New answer text: the first piece goes out with the whole turn (its timing changed), the rest as deltas. */
  appendReply(turn: Turn, text: string): void {
    const first = turn.view.reply === ''
    turn.view = { ...turn.view, reply: turn.view.reply + text }
    if (first) this.emit(turn)
    else this.#fire('reply', { turnId: turn.view.id, text })
  }

  /** Milliseconds from the turn's start to a stage, recorded once (sent with the next whole-turn event). */
  stamp(turn: Turn, key: keyof TurnTimings): void {
    if (turn.view.timings[key] === undefined) {
      turn.view = { ...turn.view, timings: { ...turn.view.timings, [key]: Math.max(0, Math.round(this.clock() - turn.t0)) } }
    }
  }

  /** Adds to a duration of the turn (connectMs, uploadMs), sent with the next whole-turn event. */
  addDuration(turn: Turn, key: 'connectMs' | 'uploadMs', ms: number): void {
    const sum = Math.round((turn.view.timings[key] ?? 0) + Math.max(0, ms))
    turn.view = { ...turn.view, timings: { ...turn.view.timings, [key]: sum } }
  }

  level(turn: Turn, r: LevelReading): void {
    if (this.#current === turn && !isSettled(turn.view)) this.#fire('level', r)
  }

  /** Adds an ended turn from an earlier conversation (shown, never current, never run). */
  restore(view: TurnView): void {
    this.#turns.push({ view: cloneView(view), controller: new AbortController(), t0: this.clock() })
  }

  /** Forgets every turn (a new conversation). */
  clear(): void {
    this.#turns = []
    this.#current = null
    this.#updateState()
  }

  snapshot(): AssistantSnapshot {
    return { state: { ...this.#state }, turns: this.#turns.map((t) => cloneView(t.view)) }
  }

  /** Resolves with the turn once it is done, stopped or failed. */
  settled(turnId: string): Promise<TurnView> | undefined {
    const turn = this.find(turnId)
    if (!turn) return undefined
    if (isSettled(turn.view)) return Promise.resolve(cloneView(turn.view))
    return new Promise((resolve) => {
      const off = this.on('turn', (t) => {
        if (t.id === turnId && isSettled(t)) {
          off()
          resolve(t)
        }
      })
    })
  }

  on<E extends keyof AssistantEvents>(e: E, l: Listener<E>): () => void {
    const set = this.#listeners[e] as Set<Listener<E>>
    set.add(l)
    return () => set.delete(l)
  }

  emit(turn: Turn): void {
    this.#fire('turn', cloneView(turn.view))
    if (this.#current === turn) this.#updateState()
  }

  #updateState(): void {
    const next = stateOf(this.#current?.view)
    if (next.phase === this.#state.phase && next.turnId === this.#state.turnId) return
    this.#state = next
    this.#fire('state', next)
  }

  #fire<E extends keyof AssistantEvents>(e: E, v: AssistantEvents[E]): void {
    for (const l of this.#listeners[e] as Set<Listener<E>>) {
      try {
        l(v)
      } catch {
        // A listener's fault (the UI's) must not break the turn.
      }
    }
  }
}

function cloneView(view: TurnView): TurnView {
  return {
    ...view,
    sources: [...view.sources],
    timings: { ...view.timings },
    ...(view.usage ? { usage: { ...view.usage } } : {}),
    ...(view.attachments ? { attachments: [...view.attachments] } : {}),
    ...(view.toolCalls ? { toolCalls: view.toolCalls.map((c) => ({ ...c })) } : {})
  }
}
