/**
 * Keeps each dictation in the history: a conversation of its own, titled "Dictation", holding one turn
 * whose question is the dictated text (so it is listed, searched and exported like the rest). Nothing
 * was answered, so the reply is empty. Incognito keeps nothing; a failing database never reaches the
 * dictation (HistoryDatabase reports it once).
 */
import type { Dictation } from '../../shared/modes'
import type { HistoryDatabase } from './history-database'

export const DICTATION_TITLE = 'Dictation'

export interface DictationKeeperOptions {
  database: HistoryDatabase
  /** False in incognito (read for each dictation). */
  enabled: () => boolean
  /** The model that transcribed it. */
  model: () => string
  onChange?: () => void
}

export function dictationKeeper(o: DictationKeeperOptions): (d: Dictation) => void {
  return (d) => {
    if (!o.enabled() || !d.text.trim()) return
    const startedAt = Date.parse(d.startedAt) || Date.now()
    const kept = o.database.attempt((store) => {
      const conversation = store.createConversation(startedAt)
      store.rename(conversation, DICTATION_TITLE)
      return store.addTurn(conversation, {
        turnKey: d.id,
        startedAt,
        input: 'voice',
        question: d.text,
        fileName: null,
        reply: '',
        spoken: '',
        status: 'done',
        voice: null,
        model: o.model(),
        timings: { release: 0, ...(d.timings.recorded !== undefined ? { requestSent: d.timings.recorded } : {}), ...(d.timings.inserted ?? d.timings.transcribed) !== undefined ? { done: d.timings.inserted ?? d.timings.transcribed } : {} },
        usage: null,
        sources: [],
        searchError: null,
        error: null,
        toolCalls: []
      })
    })
    if (kept !== undefined) o.onChange?.()
  }
}
