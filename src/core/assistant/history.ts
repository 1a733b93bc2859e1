/**
 * The conversation as the model sees it on the next turn: text only, bounded to the last N turns.
 * A spoken question enters as its transcript, which may land after the turn itself has ended.
 */
import type { Message } from '../mimo/types'

/** Stands in for a spoken question whose transcript has not arrived (or failed). */
export const UNTRANSCRIBED_QUESTION = '(a spoken question; its transcript is not available)'

interface HistoryEntry {
  turnId: string
  question: string | null
  answer: string
  /** A one-line mention of what was sent with the question (images are never sent again). */
  note?: string
}

export class ConversationHistory {
  private entries: HistoryEntry[] = []

  /** `maxTurns` is read on every use, so a settings change applies at once. */
  constructor(private readonly maxTurns: () => number) {}

  /**
   * Records a finished (or cut-off) turn. `question` null: a spoken question whose transcript is
   * still on its way (see setQuestion). A turn with nothing answered is not kept.
   */
  add(turnId: string, question: string | null, answer: string, note?: string): void {
    if (!answer.trim()) return
    this.entries = this.entries.filter((e) => e.turnId !== turnId)
    this.entries.push({ turnId, question, answer: answer.trim(), ...(note ? { note } : {}) })
    this.trim()
  }

  /** The transcript of a spoken question arrived. */
  setQuestion(turnId: string, question: string): void {
    const entry = this.entries.find((e) => e.turnId === turnId)
    if (entry) entry.question = question
  }

  has(turnId: string): boolean {
    return this.entries.some((e) => e.turnId === turnId)
  }

  clear(): void {
    this.entries = []
  }

  get size(): number {
    return this.entries.length
  }

  /** user/assistant pairs, oldest first. */
  messages(): Message[] {
    this.trim()
    const out: Message[] = []
    for (const e of this.entries) {
      const question = e.question?.trim() || UNTRANSCRIBED_QUESTION
      out.push({ role: 'user', content: e.note ? `${e.note}\n${question}` : question })
      out.push({ role: 'assistant', content: e.answer })
    }
    return out
  }

  private trim(): void {
    const max = Math.max(0, Math.floor(this.maxTurns()))
    if (this.entries.length > max) this.entries = this.entries.slice(this.entries.length - max)
  }
}
