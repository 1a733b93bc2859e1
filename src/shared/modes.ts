/**
 * The two ways to talk besides push-to-talk, as the window, the tray and the command see them:
 * the hands-free conversation and dictation into other apps.
 */
import type { UserError } from './errors'

/**
 * Where a hands-free conversation is:
 * - listening: the microphone is open, waiting for speech;
 * - hearing: speech is coming in; a pause ends the turn;
 * - answering: the assistant thinks and speaks (the microphone is not heard unless interrupting by voice is on).
 */
export type ConversationPhase = 'off' | 'listening' | 'hearing' | 'answering'

/** Why a conversation ended: the user (shortcut, Esc, button, tray, the command), a spoken stop word, silence, or a problem. */
export type ConversationEnd = 'user' | 'stop-phrase' | 'silence' | 'microphone-taken' | 'error'

export interface ConversationState {
  phase: ConversationPhase
  /** Speech over an answer stops it. */
  interruptByVoice: boolean
  /** Turns asked in this conversation so far. */
  turns: number
  /** Set once it has ended (phase 'off'). */
  ended?: ConversationEnd
  error?: UserError
}

export const CONVERSATION_OFF: ConversationState = { phase: 'off', interruptByVoice: false, turns: 0 }

export function conversationActive(s: Pick<ConversationState, 'phase'>): boolean {
  return s.phase !== 'off'
}

/** Where dictation is: recording (key down or tapped on), transcribing, inserting the text. */
export type DictationPhase = 'idle' | 'recording' | 'transcribing' | 'inserting'

export interface DictationState {
  phase: DictationPhase
}

/** How the dictated text reached the focused app. */
export type InsertMethod =
  /** Pasted with a keystroke; the clipboard is put back afterwards. */
  | 'pasted'
  /** No paste method worked: the text was left on the clipboard (with a notice). */
  | 'clipboard'
  /** Not inserted anywhere (the command printing it, or no text). */
  | 'none'

/** One dictation, as the window, a notification and the history see it. */
export interface Dictation {
  id: string
  text: string
  insert: InsertMethod
  /** The keystroke and the tool that sent it, e.g. "ctrl+v via xdotool". */
  via?: string
  /** What the user should know: the text is on the clipboard, no speech was heard... */
  notice?: string
  error?: UserError
  /** Milliseconds from the key's release: the recording handed over, the text back, the text inserted. */
  timings: { recorded?: number; transcribed?: number; inserted?: number }
  durationMs: number
  startedAt: string
}

/** A mode's own shortcut as registered: how it works here, or why it does not. */
export interface ModeShortcutStatus {
  accelerator: string
  /** hold/hybrid: the key hook sees releases; toggle: presses only; none: not registered. */
  activeMode: 'hold' | 'toggle' | 'hybrid' | 'none'
  problem?: string
}

/** Everything the window and the tray show about the two modes. */
export interface ModesSnapshot {
  conversation: ConversationState
  dictation: DictationState
  /** null: the mode has no shortcut of its own (the setting is empty). */
  shortcuts: { conversation: ModeShortcutStatus | null; dictation: ModeShortcutStatus | null }
}
