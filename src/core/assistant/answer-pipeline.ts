/**
 * One question's answer, as a pipeline:
 *
 *   question (recording / audio file / typed text)
 *     -> streamed answer from the chat model (text deltas)
 *     -> sentence splitter -> speech queue (synthesises ahead, writes in order) -> one player
 *   and, beside it, the transcript of a spoken question (for the UI and history), asked once the first
 *   audio plays: its upload must not share the uplink with the answer's or the first speech request.
 *
 * With tools, an answer can instead ask for tool calls: they run, their results go back, and the
 * next answer streams (tool-loop.ts holds the rules). Only the last answer is spoken, apart from a
 * short cue when a tool takes more than a second.
 *
 * The pipeline reports through the turn registry and ends the turn through `settle`; the assistant
 * decides what a cut-short turn keeps.
 */
import type { Settings, UploadFormat } from '../../shared/settings'
import { encodeRecording, fileForUpload } from '../audio/upload-encoding'
import { isAbortError } from '../mimo/errors'
import type { RequestTimings } from '../mimo/request-timing'
import { emptyAnswerError, noSpeechError } from './errors'
import type { ConversationHistory } from './history'
import { addSources, answerRequest, completionText, toTurnUsage, transcriptRequest, type Question } from './requests'
import { SentenceSplitter } from './sentence-splitter'
import { SpeechQueue, type SpeechEvent, type SpeechSink } from './speech-queue'
import { createSynthesizer, type ChatClient } from './synthesizer'
import type { ChatRequest, Message, ToolCall, ToolMessage } from '../mimo/types'
import type { ToolCallView } from '../../shared/tools'
import type { ToolSource } from '../tools/tool'
import { runToolCalls, type ConfirmRequest } from '../tools/tool-runner'
import { Toolset } from '../tools/toolset'
import { addUsage, MAX_TOOL_ROUNDS, nextMessages, spokenWithoutCue, TOOL_CUE_AFTER_MS, toolCallMessage, toolCue, withFunctionTools } from './tool-loop'
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
  /** Function tools offered with each question (built-in tools, MCP servers); none when absent. */
  tools?: ToolSource
  /** Asks the user before a destructive or "ask first" tool runs; without it such calls are refused. */
  confirmTool?: (turnId: string, request: ConfirmRequest) => Promise<boolean>
}

/** What one streamed answer asked for. */
interface RoundOutcome {
  calls: ToolCall[]
  text: string
  reasoning: string
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
    const { deps, hooks } = this
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
            onTimings: (t) => this.turns.addDuration(turn, 'connectMs', t.connectMs)
          }),
          sink: deps.createSink(),
          prefetch: deps.prefetch,
          realtime: deps.realtimeSink ?? true,
          clock: deps.clock,
          onEvent: (e) => this.onSpeech(turn, e)
        })
        turn.queue.done.catch((err: unknown) => hooks.fail(turn, err))
      }

      // Gathered since the question was asked (the press): usually ready by now.
      const context = turn.context ? await turn.context : undefined
      if (hooks.isOver(turn)) return
      const base = answerRequest(settings, this.history.messages(), question, context)
      const toolset = deps.tools ? await Toolset.gather([deps.tools], turn.controller.signal) : null
      if (hooks.isOver(turn)) return
      let messages: Message[] = base.messages
      // The transcript goes once the first audio plays (onSpeech); with nothing to speak, once the answer has begun.
      turn.transcribe = transcribe
      for (let round = 1; ; round++) {
        const outcome = await this.streamRound(turn, withFunctionTools({ ...base, messages }, toolset, round), question.kind === 'audio' ? question.bytes : null, settings)
        if (!outcome) return
        // An answer without calls is the last; so is one asked for without function tools (the rounds are used up).
        if (outcome.calls.length === 0 || !toolset || round > MAX_TOOL_ROUNDS) break
        const answers = await this.runTools(turn, outcome.calls, toolset, round, settings)
        if (hooks.isOver(turn)) return
        messages = nextMessages(messages, toolCallMessage(outcome.calls, outcome.text, outcome.reasoning), answers)
      }
      if (hooks.isOver(turn)) return
      if (!turn.view.reply.trim()) throw emptyAnswerError()

      let delivered = turn.view.reply
      if (turn.queue) {
        const result = await turn.queue.end()
        if (hooks.isOver(turn)) return
        delivered = spokenWithoutCue(result, turn.cue)
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

  /**
   * Streams one answer: its text is shown and spoken, sentence by sentence, unless the answer turns
   * out to ask for tools (then a sentence still waiting for the next word is dropped). Resolves with
   * the calls asked for, or null when the turn ended meanwhile.
   */
  private async streamRound(turn: Turn, request: ChatRequest, audio: Uint8Array | null, settings: Settings): Promise<RoundOutcome | null> {
    const { deps, turns, hooks } = this
    const splitter = new SentenceSplitter()
    const outcome: RoundOutcome = { calls: [], text: '', reasoning: '' }
    let callsAsked = false
    // The first round's request is the one the first audio waits for: its connection and upload times are the turn's.
    const first = turn.view.timings.requestSent === undefined
    const events = deps.client.chat(request, {
      signal: turn.controller.signal,
      ...(first
        ? {
            onTimings: (t: RequestTimings) => {
              turns.addDuration(turn, 'connectMs', t.connectMs)
              turns.addDuration(turn, 'uploadMs', t.uploadMs)
            }
          }
        : {})
    })
    turns.stamp(turn, 'requestSent')
    turns.emit(turn)
    for await (const event of events) {
      if (hooks.isOver(turn)) return null
      // Nothing is spoken, so no speech request shares the uplink: the transcript can go now.
      if (audio && !turn.queue) this.transcribe(turn, settings, audio)
      switch (event.type) {
        case 'text': {
          turns.stamp(turn, 'firstToken')
          turns.appendReply(turn, event.text)
          outcome.text += event.text
          if (turn.queue && !callsAsked) {
            for (const sentence of splitter.push(event.text)) this.enqueue(turn, sentence)
            if (deps.speculativeTts !== false) turn.queue.speculate(splitter.tentative())
          }
          break
        }
        case 'reasoning':
          outcome.reasoning += event.text
          break
        case 'tool-call':
          // The answer asks for tools: what it said so far is not the answer, and is not spoken further.
          if (!callsAsked) turn.queue?.speculate(null)
          callsAsked = true
          break
        case 'tool-calls':
          outcome.calls = event.calls
          break
        case 'annotations':
          turns.update(turn, { sources: addSources(turn.view.sources, event.annotations) })
          break
        case 'search-error':
          // Shown, not fatal: the answer goes on without the search.
          turns.update(turn, { searchError: event.message })
          break
        case 'usage':
          turn.view = { ...turn.view, usage: addUsage(turn.view.usage, toTurnUsage(event.usage)) }
          break
        default:
          break
      }
    }
    if (hooks.isOver(turn)) return null
    if (turn.queue && outcome.calls.length === 0) for (const sentence of splitter.flush()) this.enqueue(turn, sentence)
    return outcome
  }

  /** Runs one round of calls, showing each in the turn; a cue is spoken once if they take long. */
  private async runTools(turn: Turn, calls: ToolCall[], toolset: Toolset, round: number, settings: Settings): Promise<ToolMessage[]> {
    const { deps, turns } = this
    const cueTimer = setTimeout(() => {
      if (!turn.queue || turn.cue || this.hooks.isOver(turn)) return
      const text = toolCue(turn.view.question, settings.uiLanguage)
      turn.cue = { index: turn.queue.length, text }
      turn.queue.push(text)
    }, TOOL_CUE_AFTER_MS)
    try {
      return await runToolCalls(calls, toolset, {
        signal: turn.controller.signal,
        timeoutMs: settings.toolTimeoutSec * 1000,
        round,
        confirm: deps.confirmTool ? (request) => deps.confirmTool!(turn.view.id, request) : undefined,
        onUpdate: (view) => {
          // A turn cut short marked its calls stopped itself.
          if (this.hooks.isOver(turn)) return
          turns.update(turn, { toolCalls: upsertCall(turn.view.toolCalls ?? [], view) })
        },
        clock: deps.clock
      })
    } finally {
      clearTimeout(cueTimer)
    }
  }

  private enqueue(turn: Turn, sentence: string): void {
    this.turns.stamp(turn, 'firstSentence')
    turn.queue!.push(sentence)
  }

  private onSpeech(turn: Turn, e: SpeechEvent): void {
    // The cue is not the answer: it neither stamps the answer's timings nor makes the turn "speaking".
    if (turn.cue && 'index' in e && e.index === turn.cue.index) return void this.deps.onSpeechEvent?.(turn.view.id, e)
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

function upsertCall(calls: ToolCallView[], view: ToolCallView): ToolCallView[] {
  const i = calls.findIndex((c) => c.id === view.id && c.round === view.round)
  if (i === -1) return [...calls, view]
  const next = calls.slice()
  next[i] = view
  return next
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
