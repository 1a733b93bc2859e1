import type { UserError } from './errors'

/** The assistant's phase, shown by the window and the tray icon. */
export type AssistantPhase = 'idle' | 'recording' | 'thinking' | 'speaking' | 'error'

export interface AssistantState {
  phase: AssistantPhase
  /** The turn the phase belongs to, if any. */
  turnId?: string
  /** Set in the 'error' phase. */
  error?: UserError
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
}

export interface TurnUsage {
  promptTokens: number
  completionTokens: number
  totalTokens: number
  reasoningTokens?: number
  audioTokens?: number
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
export type TurnStatus = 'recording' | 'thinking' | 'speaking' | 'done' | 'stopped' | 'error'

/** One question and its answer, as the UI shows it. Sent whole on every change. */
export interface TurnView {
  id: string
  input: TurnInput
  /** Typed text, or the transcript of the spoken question once it lands. */
  question?: string
  /** The transcript request is still running. */
  transcribing?: boolean
  /** The whole answer text so far. */
  reply: string
  /** The part of the reply actually spoken (what history keeps after a barge-in). */
  spoken: string
  sources: Source[]
  /** A web search failed: the answer went on without it (shown, not an error). */
  searchError?: string
  status: TurnStatus
  timings: TurnTimings
  usage?: TurnUsage
  error?: UserError
  /** A failed turn keeps its recording: the user can retry it. */
  canRetry: boolean
  /** The question came from the tray (its answer is also shown as a notification). */
  fromTray?: boolean
  startedAt: string
}

/** The assistant's state and its turns, as the window, the tray and the command read them. */
export interface AssistantSnapshot {
  state: AssistantState
  turns: TurnView[]
}
