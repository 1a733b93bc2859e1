/** Speech for one sentence: a streamed TTS request in the chosen voice, as PCM16 24 kHz chunks. */
import { CLONE_TTS_MODEL, DESIGN_TTS_MODEL } from '../../shared/models'
import { ttsRequest, type TtsVoice } from '../mimo/builders'
import type { RequestTimings } from '../mimo/request-timing'
import type { ChatCompletion, ChatEvent, ChatRequest } from '../mimo/types'
import type { Synthesize } from './speech-queue'

/** Per request: `onTimings` reports how long it waited for a connection and took to send its body. */
export interface ChatRequestOptions {
  signal?: AbortSignal
  onTimings?: (t: RequestTimings) => void
}

/** What the assistant needs of the MiMo client (MimoClient satisfies it). */
export interface ChatClient {
  chat(request: ChatRequest, options?: ChatRequestOptions): AsyncIterable<ChatEvent>
  complete(request: ChatRequest, options?: { signal?: AbortSignal }): Promise<ChatCompletion>
}

export interface SynthesizerOptions {
  client: Pick<ChatClient, 'chat'>
  /** Resolved once per turn, while the answer is being thought of. */
  voice: TtsVoice | Promise<TtsVoice>
  /** A speaking-style direction, sent as the user message (never spoken). */
  style?: string
  /** The TTS model for built-in voices (settings.ttsModel); clone and design voices use their own. */
  builtinModel?: string
  /** The first request's timings (the one the first audio waits for). */
  onTimings?: (t: RequestTimings) => void
}

export function createSynthesizer(o: SynthesizerOptions): Synthesize {
  let first = true
  return async function* synthesize(text: string, signal: AbortSignal): AsyncGenerator<Buffer> {
    const onTimings = first ? o.onTimings : undefined
    first = false
    const voice = await o.voice
    const model =
      voice.kind === 'builtin' && o.builtinModel && o.builtinModel !== CLONE_TTS_MODEL && o.builtinModel !== DESIGN_TTS_MODEL
        ? o.builtinModel
        : undefined
    const request = ttsRequest({ text, voice, style: o.style, format: 'pcm16', stream: true, model })
    for await (const event of o.client.chat(request, { signal, ...(onTimings ? { onTimings } : {}) })) {
      if (event.type === 'audio' && event.data.length) yield event.data
    }
  }
}
