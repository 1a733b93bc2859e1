/**
 * One question's answer, as a pipeline:
 *
 *   question (recording / audio file / typed text)
 *     -> streamed answer from the chat model (text deltas)
 *     -> sentence splitter -> speech queue (synthesises ahead, writes in order) -> one player
 *   and, beside it, the transcript of a spoken question (for the UI and history), asked once the first
 *   audio plays: its upload must not share the uplink with the answer's or the first speech request.
 *
 * The pipeline reports through the turn registry and ends the turn through `settle`; the assistant
 * decides what a cut-short turn keeps.
 */
import type { Settings, UploadFormat } from '../../shared/settings'
import { encodeRecording, fileForUpload } from '../audio/upload-encoding'
import { isAbortError } from '../mimo/errors'
import { emptyAnswerError, noSpeechError } from './errors'
import type { ConversationHistory } from './history'
import { addSources, answerRequest, completionText, toTurnUsage, transcriptRequest, type Question } from './requests'
import { SentenceSplitter } from './sentence-splitter'
import { SpeechQueue, type SpeechEvent, type SpeechSink } from './speech-queue'
import { createSynthesizer, type ChatClient } from './synthesizer'
import type { QuestionSource, Turn, TurnRegistry } from './turn-registry'
import type { VoiceResolver } from './voice-resolver'

export interface AnswerDeps {
  client: ChatClient
  /** A player, started now so its start-up is off the critical path. */
  createSink: () => Promise<SpeechSink>
  settings: () => Settings
  voices: VoiceResolver
  clock: () => number
  /** Speak answers (default true). The command line's --no-speak turns it off. */
  speak?: () => boolean
  /** The sink plays in real time (default true); false for a file or a pipe. */
  realtimeSink?: boolean
  /** Sentences synthesised ahead of the one playing (default 2). */
  prefetch?: number
  /** Start speech for a sentence that probably ends here before the next token confirms it (default true). */
  speculativeTts?: boolean
  /** Each speech-queue event, with the turn it belongs to (timings and benchmarks). */
  onSpeechEvent?: (turnId: string, e: SpeechEvent) => void
}

export interface AnswerHooks {
  /** Ends the turn with an error (ignored when the turn is already over). */
  fail(turn: Turn, err: unknown): void
  /** The answer was delivered: `spoken` is what was heard (the whole reply when nothing is spoken). */
  done(turn: Turn, spoken: string): void
  /** The turn is over (stopped, failed, replaced): later events of its requests are ignored. */
  isOver(turn: Turn): boolean
  /** Transcript requests outlive their turn (history wants them) but not the conversation. */
  conversationSignal(): AbortSignal
}

export class AnswerPipeline {
  constructor(
    private readonly deps: AnswerDeps,
    private readonly turns: TurnRegistry,
    private readonly history: ConversationHistory,
    private readonly hooks: AnswerHooks
  ) {}

  async run(turn: Turn, source: QuestionSource): Promise<void> {
    const { deps, turns, hooks } = this
    const settings = deps.settings()
    let transcribe = (): void => {}
    try {
      const question = await questionOf(source, settings.uploadFormat)
      if (question.kind === 'audio') transcribe = () => this.transcribe(turn, settings, question.bytes)
      if (hooks.isOver(turn)) return
      const speak = deps.speak?.() ?? true
      if (speak) {
        // The player and the voice get ready while the model thinks.
        const voice = deps.voices.resolve(settings.voice)
        voice.catch(() => {})
        turn.queue = new SpeechQueue({
          synthesize: createSynthesizer({
            client: deps.client,
            voice,
            style: settings.speakingStyle,
            builtinModel: settings.ttsModel,
            onTimings: (t) => turns.addDuration(turn, 'connectMs', t.connectMs)
          }),
          sink: deps.createSink(),
          prefetch: deps.prefetch,
          realtime: deps.realtimeSink ?? true,
          clock: deps.clock,
          onEvent: (e) => this.onSpeech(turn, e)
        })
        turn.queue.done.catch((err: unknown) => hooks.fail(turn, err))
      }

      const request = answerRequest(settings, this.history.messages(), question)
      const splitter = new SentenceSplitter()
      const events = deps.client.chat(request, {
        signal: turn.controller.signal,
        onTimings: (t) => {
          turns.addDuration(turn, 'connectMs', t.connectMs)
          turns.addDuration(turn, 'uploadMs', t.uploadMs)
        }
      })
      turns.stamp(turn, 'requestSent')
      turns.emit(turn)
      // The transcript goes once the first audio plays; with nothing to speak, once the answer has begun.
      turn.transcribe = transcribe
      for await (const event of events) {
        if (hooks.isOver(turn)) return
        if (!turn.queue) transcribe()
        switch (event.type) {
          case 'text': {
            turns.stamp(turn, 'firstToken')
            turns.appendReply(turn, event.text)
            if (turn.queue) {
              for (const sentence of splitter.push(event.text)) this.enqueue(turn, sentence)
              if (deps.speculativeTts !== false) turn.queue.speculate(splitter.tentative())
            }
            break
          }
          case 'annotations':
            turns.update(turn, { sources: addSources(turn.view.sources, event.annotations) })
            break
          case 'search-error':
            // Shown, not fatal: the answer goes on without the search.
            turns.update(turn, { searchError: event.message })
            break
          case 'usage':
            turn.view = { ...turn.view, usage: toTurnUsage(event.usage) }
            break
          default:
            break
        }
      }
      if (hooks.isOver(turn)) return
      if (!turn.view.reply.trim()) throw emptyAnswerError()

      let delivered = turn.view.reply
      if (turn.queue) {
        for (const sentence of splitter.flush()) this.enqueue(turn, sentence)
        const result = await turn.queue.end()
        if (hooks.isOver(turn)) return
        delivered = result.spokenText
      }
      // An answer that never got to play still gets its question written down.
      transcribe()
      hooks.done(turn, delivered)
    } catch (err) {
      if (hooks.isOver(turn) || (isAbortError(err) && turn.controller.signal.aborted)) return
      if (turn.view.reply) transcribe()
      hooks.fail(turn, err)
    }
  }

  private enqueue(turn: Turn, sentence: string): void {
    this.turns.stamp(turn, 'firstSentence')
    turn.queue!.push(sentence)
  }

  private onSpeech(turn: Turn, e: SpeechEvent): void {
    if (e.type === 'tts-request') this.turns.stamp(turn, 'firstTtsRequest')
    if (e.type === 'write' && turn.view.timings.firstAudio === undefined && !this.hooks.isOver(turn)) {
      this.turns.stamp(turn, 'firstAudio')
      this.turns.set(turn, { status: 'speaking' })
      turn.transcribe?.()
    }
    this.deps.onSpeechEvent?.(turn.view.id, e)
  }

  /** Asks for the transcript, once per turn. */
  private transcribe(turn: Turn, settings: Settings, bytes: Uint8Array): void {
    if (turn.view.transcribing !== undefined) return
    turn.view = { ...turn.view, transcribing: true }
    const signal = this.hooks.conversationSignal()
    this.deps.client.complete(transcriptRequest(settings, bytes), { signal }).then(
      (completion) => {
        if (signal.aborted) return
        const text = completionText(completion)
        if (text) this.history.setQuestion(turn.view.id, text)
        this.turns.update(turn, { transcribing: false, ...(text ? { question: text } : {}) })
      },
      () => {
        // The transcript is a convenience: the answer does not depend on it.
        if (!signal.aborted) this.turns.update(turn, { transcribing: false })
      }
    )
  }
}

/**
 * What the model is sent for a question: the recording as encoded while it was made (or now, for a
 * recording that came without it), a file as upload-encoding.ts decides, or text.
 */
async function questionOf(source: QuestionSource, format: UploadFormat): Promise<Question> {
  if (source.kind === 'voice') {
    if (!source.recording.heardSpeech) throw noSpeechError()
    return { kind: 'audio', bytes: source.upload ?? (await encodeRecording(format, source.recording)) }
  }
  if (source.kind === 'file') return { kind: 'audio', bytes: await fileForUpload(source.bytes, format) }
  return { kind: 'text', text: source.text }
}
