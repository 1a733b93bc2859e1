import type { Attachment } from './context'
import type { UserError } from './errors'
import type { ToolCallView } from './tools'

/** The assistant's phase, shown by the window and the tray icon: it derives from the current turn. */
export type AssistantPhase = 'idle' | 'recording' | 'thinking' | 'speaking' | 'error'

export interface AssistantState {
  phase: AssistantPhase
  /** The turn the phase belongs to, if any. */
  turnId?: string
}

/** Microphone level, about every 50 ms while recording. */
export interface LevelReading {
  rmsDbfs: number
  peakDbfs: number
  /** The voice-activity detector hears speech now. */
  speech: boolean
  elapsedMs: number
}

/**
 * Milliseconds from the turn's start (release of the push-to-talk key, or the typed question)
 * to each stage. A stage not reached is absent.
 */
export interface TurnTimings {
  release?: number
  requestSent?: number
  firstToken?: number
  firstSentence?: number
  firstTtsRequest?: number
  firstAudio?: number
  done?: number
  /** Durations, not stages: how long the answer request and the first speech request waited for a connection (a handshake not done ahead). */
  connectMs?: number
  /** How long the answer request took to hand its body (the question's audio) to the connection. */
  uploadMs?: number
}

export interface TurnUsage {
  promptTokens: number
  completionTokens: number
  totalTokens: number
  reasoningTokens?: number
  audioTokens?: number
  imageTokens?: number
  cachedTokens?: number
  webSearchCalls?: number
  webSearchPages?: number
}

/** A web page the answer used (from web-search annotations). */
export interface Source {
  url: string
  title?: string
  siteName?: string
  summary?: string
  publishTime?: string
}

export type TurnInput = 'voice' | 'file' | 'text'

/** Where a turn is: one tagged union, so an error always has its message and only a failed turn can be retried. */
export type TurnState =
  | { status: 'recording' }
  | { status: 'thinking' }
  | { status: 'speaking' }
  | { status: 'done' }
  | { status: 'stopped' }
  /** `canRetry`: the turn kept its recording, file or text, so it can be asked again. */
  | { status: 'error'; error: UserError; canRetry: boolean }
export type TurnStatus = TurnState['status']

/** What every turn has, whatever its status. */
export interface TurnBase {
  id: string
  input: TurnInput
  /** Typed text, or the transcript of the spoken question once it lands. */
  question?: string
  /** The transcript request is still running. */
  transcribing?: boolean
  /** The whole answer text so far ('assistant:reply' events append to it between whole-turn events). */
  reply: string
  /** The part of the reply actually spoken (what history keeps after a barge-in). */
  spoken: string
  sources: Source[]
  /** A web search failed: the answer went on without it (shown, not an error). */
  searchError?: string
  /** The tools the answer called, in the order they were asked for. */
  toolCalls?: ToolCallView[]
  timings: TurnTimings
  usage?: TurnUsage
  /** The question came from the tray (its answer is also shown as a notification). */
  fromTray?: boolean
  /** What was sent with the question (screen, window, selection, image files): thumbnails and sizes. */
  attachments?: Attachment[]
  startedAt: string
}

/** One question and its answer, as the window, the tray and the command show it. */
export type TurnView = TurnBase & TurnState

/** Answer text that arrived since the last whole-turn event: appended to the turn's reply. */
export interface ReplyDelta {
  turnId: string
  text: string
}

export const SETTLED_STATUSES: readonly TurnStatus[] = ['done', 'stopped', 'error']

export function isSettled(turn: Pick<TurnView, 'status'>): boolean {
  return SETTLED_STATUSES.includes(turn.status)
}

/** The one rule from the current turn to the assistant's phase. */
export function stateOf(current: TurnView | undefined): AssistantState {
  if (!current) return { phase: 'idle' }
  switch (current.status) {
    case 'recording':
    case 'thinking':
    case 'speaking':
      return { phase: current.status, turnId: current.id }
    case 'error':
      return { phase: 'error', turnId: current.id }
    default:
      return { phase: 'idle' }
  }
}

/** Applies a reply delta to the turns it may belong to (the window keeps its list this way). */
export function applyReplyDelta(turns: TurnView[], delta: ReplyDelta): TurnView[] {
  const i = turns.findIndex((t) => t.id === delta.turnId)
  if (i === -1) return turns
  const next = turns.slice()
  next[i] = { ...turns[i], reply: turns[i].reply + delta.text }
  return next
}

/** The assistant's state and its turns, as the window, the tray and the command read them. */
export interface AssistantSnapshot {
  state: AssistantState
  turns: TurnView[]
}
