/**
 * Speaks a given text (no question, no answer): the same sentence splitting and speech queue as a
 * turn, so the first sentence is heard while the rest is still being synthesised.
 */
import type { TtsVoice } from '../mimo/builders'
import { SentenceSplitter } from './sentence-splitter'
import { SpeechQueue, type SpeechEvent, type SpeechResult, type SpeechSink } from './speech-queue'
import { createSynthesizer, type ChatClient } from './synthesizer'

export interface SpeakTextOptions {
  client: Pick<ChatClient, 'chat'>
  text: string
  voice: TtsVoice | Promise<TtsVoice>
  sink: SpeechSink | Promise<SpeechSink>
  style?: string
  builtinModel?: string
  realtime?: boolean
  prefetch?: number
  clock?: () => number
  signal?: AbortSignal
  onEvent?: (e: SpeechEvent) => void
}

export interface SpeakTextResult extends SpeechResult {
  sentences: string[]
  /** Milliseconds from the call to each stage. */
  timings: { firstTtsRequest?: number; firstAudio?: number; done: number }
}

export async function speakText(o: SpeakTextOptions): Promise<SpeakTextResult> {
  const clock = o.clock ?? (() => performance.now())
  const t0 = clock()
  const timings: SpeakTextResult['timings'] = { done: 0 }
  const splitter = new SentenceSplitter()
  const sentences = [...splitter.push(o.text), ...splitter.flush()]
  const queue = new SpeechQueue({
    synthesize: createSynthesizer({ client: o.client, voice: o.voice, style: o.style, builtinModel: o.builtinModel }),
    sink: o.sink,
    realtime: o.realtime,
    prefetch: o.prefetch,
    clock,
    onEvent: (e) => {
      if (e.type === 'tts-request') timings.firstTtsRequest ??= Math.round(clock() - t0)
      if (e.type === 'write') timings.firstAudio ??= Math.round(clock() - t0)
      o.onEvent?.(e)
    }
  })
  const onAbort = (): void => void queue.stop()
  o.signal?.addEventListener('abort', onAbort, { once: true })
  try {
    for (const s of sentences) queue.push(s)
    const result = await queue.end()
    timings.done = Math.round(clock() - t0)
    return { ...result, sentences, timings }
  } finally {
    o.signal?.removeEventListener('abort', onAbort)
  }
}
