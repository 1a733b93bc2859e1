/**
 * Keeps the assistant's turns: it listens to the assistant's 'turn' events and writes each turn once
 * it has ended (done, stopped or failed), then the transcript of a spoken question when it lands
 * later, then the kept audio. Writes run one after another, off the assistant's call stack, and a
 * failure of the database never reaches the turn (HistoryDatabase reports it once).
 */
import type { TurnView } from '../../shared/assistant'
import type { NewTurn } from './conversation-store'
import { AudioFolder, type AudioPart } from './audio-folder'
import { HistoryNotFoundError } from './errors'
import type { HistoryDatabase } from './history-database'
import { encodeMp3 } from '../audio/mp3-encoder'
import type { CapturedAudio, TurnAudioTap } from './turn-audio-tap'

export interface TurnRecorderOptions {
  database: HistoryDatabase
  /** Turns are kept (false in incognito, or for a turn asked with --no-history). Read when a turn ends. */
  enabled: () => boolean
  /** The voice and model a turn used, as the history shows them. */
  describe: (view: TurnView) => { voice: string | null; model: string | null }
  /** Present when "keep audio" may be on: the turn's audio is taken from it. */
  tap?: TurnAudioTap
  /** Something was written (the window's History view refreshes). */
  onChange?: () => void
}

const ENDED: ReadonlyArray<TurnView['status']> = ['done', 'stopped', 'error']

interface Kept {
  /** Row id, or null for a turn that is not kept (incognito when it ended, or nothing to keep). */
  id: number | null
  question: string | null
}

export class TurnRecorder {
  readonly #o: TurnRecorderOptions
  readonly #kept = new Map<string, Kept>()
  readonly #fileNames = new Map<string, string>()
  #conversation: { id: number; generation: number } | null = null
  #queue: Promise<void> = Promise.resolve()

  constructor(o: TurnRecorderOptions) {
    this.#o = o
  }

  /** Subscribes to an assistant's turns; returns the unsubscribe. */
  attach(assistant: { on(e: 'turn', l: (t: TurnView) => void): () => void }): () => void {
    return assistant.on('turn', (view) => this.#onTurn(view))
  }

  /** The next turn starts a new conversation. */
  newConversation(): void {
    this.#conversation = null
  }

  /** The next turns are added to this kept conversation. */
  continueConversation(id: number): void {
    this.#conversation = { id, generation: this.#o.database.generation }
  }

  /** The conversation turns are being added to, if one has been started or continued. */
  get conversationId(): number | null {
    return this.#conversation && this.#conversation.generation === this.#o.database.generation ? this.#conversation.id : null
  }

  /** The file a question was asked from (shown as the question until a transcript lands). */
  noteFileName(turnKey: string, fileName: string): void {
    this.#fileNames.set(turnKey, fileName)
  }

  /** Resolves when every write asked for so far (audio included) is done. */
  flush(): Promise<void> {
    return this.#queue
  }

  #onTurn(view: TurnView): void {
    if (!ENDED.includes(view.status)) return
    const known = this.#kept.get(view.id)
    if (known) {
      // A transcript that landed after the turn was kept (the write that keeps it is queued before this one).
      if (view.question && view.question !== known.question) {
        known.question = view.question
        const question = view.question
        this.#then(() => {
          const id = known.id
          if (id === null) return
          this.#o.database.attempt((store) => store.setQuestion(id, question))
          this.#o.onChange?.()
        })
      }
      return
    }
    const kept: Kept = { id: null, question: view.question ?? null }
    this.#kept.set(view.id, kept)
    if (this.#kept.size > 200) this.#kept.delete(this.#kept.keys().next().value as string)
    const audio = this.#o.tap?.take(view.id)
    if (!this.#o.enabled() || nothingToKeep(view)) return
    const turn = this.#newTurn(view)
    this.#then(async () => {
      kept.id = this.#store(turn)
      if (kept.id === null) return
      this.#o.onChange?.()
      if (audio?.question) await this.#keepAudio(kept.id, 'question', audio.question)
      if (audio?.answer) await this.#keepAudio(kept.id, 'answer', audio.answer)
    })
  }

  #store(turn: NewTurn): number | null {
    const db = this.#o.database
    const result = db.attempt((store) => {
      let conversation = this.conversationId
      if (conversation !== null) {
        try {
          return store.addTurn(conversation, turn)
        } catch (err) {
          // The conversation was deleted meanwhile: this turn starts a new one.
          if (!(err instanceof HistoryNotFoundError)) throw err
        }
      }
      conversation = store.createConversation(turn.startedAt)
      const id = store.addTurn(conversation, turn)
      this.#conversation = { id: conversation, generation: db.generation }
      return id
    })
    return result ?? null
  }

  async #keepAudio(turnId: number, part: AudioPart, audio: CapturedAudio): Promise<void> {
    try {
      const bytes = 'mp3' in audio ? audio.mp3 : await encodeMp3(audio.pcm, audio.sampleRate)
      const name = AudioFolder.fileName(turnId, part)
      const db = this.#o.database
      db.audio.write(name, bytes)
      const noted = db.attempt((store) => {
        store.setAudio(turnId, part, name)
        return true
      })
      if (!noted) db.audio.remove([name])
      else this.#o.onChange?.()
    } catch {
      // The audio is a convenience: the turn's text is kept without it.
    }
  }

  #newTurn(view: TurnView): NewTurn {
    const { voice, model } = this.#o.describe(view)
    return {
      turnKey: view.id,
      startedAt: Date.parse(view.startedAt) || Date.now(),
      input: view.input,
      question: view.question ?? null,
      fileName: this.#fileNames.get(view.id) ?? null,
      reply: view.reply,
      spoken: view.spoken,
      status: view.status as NewTurn['status'],
      voice,
      model,
      timings: view.timings,
      usage: view.usage ?? null,
      sources: view.sources,
      searchError: view.searchError ?? null,
      toolCalls: view.toolCalls ?? [],
      error: view.status === 'error' ? view.error : null
    }
  }

  #then(work: () => void | Promise<void>): void {
    this.#queue = this.#queue.then(work).catch(() => {})
  }
}

/** A recording cut off before anything was asked, or one that heard no speech. */
function nothingToKeep(view: TurnView): boolean {
  if (view.reply.trim() || view.question?.trim()) return false
  if (view.status === 'stopped') return true
  return view.status === 'error' && (view.error.code === 'no-speech' || view.error.code === 'microphone-denied')
}
