/** The conversation history as the window and the command see it (kept in the main process's database). */
import type { Source, TurnInput, TurnTimings, TurnUsage } from './assistant'
import type { UserError } from './errors'
import type { ToolCallView } from './tools'

/** How long kept turns stay: older ones are deleted, with their audio. */
export const HISTORY_RETENTIONS = ['week', 'month', 'year', 'forever'] as const
export type HistoryRetention = (typeof HISTORY_RETENTIONS)[number]
export const RETENTION_DAYS: Record<HistoryRetention, number | null> = { week: 7, month: 30, year: 365, forever: null }

export interface ConversationSummary {
  id: number
  /** The name the user gave it, else its first question (null: a spoken question never transcribed). */
  title: string | null
  /** The user renamed it. */
  renamed: boolean
  /** Milliseconds since 1970. */
  startedAt: number
  updatedAt: number
  turnCount: number
}

export type StoredTurnStatus = 'done' | 'stopped' | 'error'

/** One kept question and its answer. */
export interface StoredTurn {
  id: number
  conversationId: number
  startedAt: number
  input: TurnInput
  /** Typed text or the transcript of a spoken question. */
  question: string | null
  /** The audio file a file question came from. */
  fileName: string | null
  /** The whole answer. */
  reply: string
  /** What was heard of it (less than the reply after an interruption). */
  spoken: string
  status: StoredTurnStatus
  /** The voice that spoke it (null: not spoken). */
  voice: string | null
  model: string | null
  timings: TurnTimings
  usage: TurnUsage | null
  sources: Source[]
  searchError: string | null
  /** The tools the answer called (empty for turns kept before tools, or without calls). */
  toolCalls: ToolCallView[]
  error: UserError | null
  /** Kept audio ("keep audio" was on): the question's recording, the spoken answer. */
  audio: { question: boolean; answer: boolean }
}

export interface ConversationDetail extends ConversationSummary {
  turns: StoredTurn[]
}

/** Where the next page of the list starts (the last conversation of this page). */
export interface HistoryCursor {
  updatedAt: number
  id: number
}

export interface ConversationPage {
  conversations: ConversationSummary[]
  next: HistoryCursor | null
}

/** Part of a text, and where a searched word lies in it. */
export interface Excerpt {
  text: string
  match?: { start: number; length: number }
}

export interface SearchHit {
  turnId: number
  conversationId: number
  conversationTitle: string | null
  startedAt: number
  question: Excerpt
  answer: Excerpt
}

export interface HistoryStatus {
  /** The database file. */
  path: string
  /** False after a failure that stops keeping turns (e.g. a file from a newer version). */
  available: boolean
  /** The last problem, if any. */
  problem?: UserError
}

export type ExportFormat = 'md' | 'json'

export interface ExportResult {
  /** The file written. */
  path: string
  conversations: number
  turns: number
}
