// What the fake "says": a deterministic answer that names the question, split into word-sized tokens.

import { describeImages, type ImageFacts } from './image-facts'
import { textOf } from './service-rules'
import type { ToolResult } from './tool-script'

export interface ReplyContext {
  model: string
  /** The question: the last user text, or what was "heard" when the last user message holds audio. */
  question: string
  /** The last user message held audio. */
  heardAudio: boolean
  /** What the fake pretends to have heard in audio. */
  transcript: string
  /** The request body as received. */
  body: Record<string, unknown>
  /** The images of the question's own message, decoded (what the fake "sees"). */
  images?: ImageFacts[]
  /** The answers of tool calls since the last user message (empty before any tool ran). */
  toolResults: ToolResult[]
}

export const DEFAULT_TRANSCRIPT = 'What is the weather like in Beijing today?'

/** About sixty words in three sentences, naming the question. */
export function defaultReply(ctx: ReplyContext): string {
  // A question about images is answered with what can be checked: their sizes and mean colours.
  if (ctx.images?.length) return describeImages(ctx.images)
  const q = ctx.question.trim().replace(/[\s.?!。？！]+$/u, '') || 'nothing in particular'
  return (
    `You asked about "${q}", and here is a short answer from the MiMo test server. ` +
    'It speaks in three plain sentences so that each one can be spoken aloud as soon as it arrives. ' +
    'The words are the same every time you ask, which keeps the checks that listen to this answer steady and easy to repeat.'
  )
}

export function reasoningFor(ctx: ReplyContext): string {
  const q = ctx.question.trim() || 'something'
  return `The user asked: ${q} I should answer briefly, in plain spoken sentences, without lists.`
}

/** Roughly one token per word: each piece keeps the whitespace before it. */
export function tokenize(text: string): string[] {
  return text.match(/\s*\S+/gu) ?? []
}

interface LooseMessage {
  role?: unknown
  content?: unknown
}

/** The question and whether it was spoken, from the last user message. */
export function lastQuestion(
  messages: LooseMessage[],
  transcript: string
): { question: string; heardAudio: boolean; text: string; index: number } {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]
    if (m.role !== 'user') continue
    const parts = Array.isArray(m.content) ? (m.content as Array<{ type?: unknown; text?: unknown }>) : null
    const heardAudio = !!parts?.some((p) => p?.type === 'input_audio')
    // The question is the message's last text part: context texts (selected text, ...) come before it.
    const text = parts ? String(parts.filter((p) => p?.type === 'text').pop()?.text ?? '') : textOf(m.content)
    return { question: heardAudio ? transcript : text, heardAudio, text, index: i }
  }
  return { question: '', heardAudio: false, text: '', index: -1 }
}

/** A request for a verbatim transcript of the audio ("Transcribe ...", "transcript"). */
export function asksForTranscript(text: string): boolean {
  return /transcri/i.test(text)
}
