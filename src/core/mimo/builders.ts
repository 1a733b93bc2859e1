// Requests built the way the service wants them: spoken questions as an input_audio part plus the
// text part it requires; speech with the text in the assistant message, style in the user message,
// and the voice as a built-in id, a clone sample data URI, or (voice design) a description.

import { CLONE_TTS_MODEL, DEFAULT_TTS_MODEL, DESIGN_TTS_MODEL } from '../../shared/models'
import { audioDataUri, sniffAudioContainer } from './audio-data-uri'
import { MimoValidationError } from './errors'
import type { ChatRequest, Message, UserMessage } from './types'
import { checkCloneSample } from './validation'

export { sniffAudioContainer, audioDataUri, parseDataUri } from './audio-data-uri'
export type { AudioContainer } from './audio-data-uri'
export { validateRequest, isTtsModel, isVoiceCloneModel, isVoiceDesignModel } from './validation'

/** The text part sent with a spoken question: the service refuses a user message holding audio alone. */
export const DEFAULT_AUDIO_INSTRUCTION = 'Answer the spoken question.'

/** A user message asking about recorded audio: `[input_audio, text]`. */
export function userAudioMessage(bytes: Uint8Array, instruction: string = DEFAULT_AUDIO_INSTRUCTION): UserMessage {
  const text = instruction.trim() || DEFAULT_AUDIO_INSTRUCTION
  return {
    role: 'user',
    content: [
      { type: 'input_audio', input_audio: { data: audioDataUri(bytes) } },
      { type: 'text', text }
    ]
  }
}

export type TtsVoice =
  | { kind: 'builtin'; id: string }
  /** The recorded sample: wav or mp3 bytes, at most 10 MB once in base64. */
  | { kind: 'clone'; sample: Uint8Array }
  /** A description of the voice, e.g. "A calm, low male voice with a slight British accent." */
  | { kind: 'design'; description: string }

export interface TtsRequestOptions {
  /** What to say. Optional only for voice design with `optimizeTextPreview`. */
  text?: string
  voice: TtsVoice
  /** Natural-language direction, e.g. "Cheerful and quick." Sent as the user message, never spoken. */
  style?: string
  /** Default pcm16 when streaming, wav otherwise. Streamed audio is PCM16 24 kHz mono whatever is asked. */
  format?: 'pcm16' | 'wav' | 'mp3'
  /** Default true. */
  stream?: boolean
  /** Default from the voice kind: builtin -> mimo-v2.5-tts, clone -> -voiceclone, design -> -voicedesign. */
  model?: string
  /** Voice design only: let the service polish (or write) the text; it comes back as a `text-preview` event. */
  optimizeTextPreview?: boolean
}

function cloneSampleUri(sample: Uint8Array): string {
  const container = sniffAudioContainer(sample)
  if (container !== 'wav' && container !== 'mp3')
    throw new MimoValidationError('audio.voice', `the clone sample must be a wav or mp3 recording${container ? `, not ${container}` : ''}`)
  const uri = audioDataUri(sample, 'audio.voice')
  checkCloneSample(uri)
  return uri
}

/** A speech request. Throws MimoValidationError for an empty text or an unusable clone sample. */
export function ttsRequest(o: TtsRequestOptions): ChatRequest {
  const stream = o.stream ?? true
  const text = o.text?.trim() ?? ''
  const style = o.style?.trim() ?? ''
  const messages: Message[] = []
  let model: string
  let voice: string | undefined

  switch (o.voice.kind) {
    case 'builtin':
      model = o.model ?? DEFAULT_TTS_MODEL
      voice = o.voice.id
      if (style) messages.push({ role: 'user', content: style })
      break
    case 'clone':
      model = o.model ?? CLONE_TTS_MODEL
      voice = cloneSampleUri(o.voice.sample)
      if (style) messages.push({ role: 'user', content: style })
      break
    case 'design': {
      model = o.model ?? DESIGN_TTS_MODEL
      const description = o.voice.description.trim()
      if (!description) throw new MimoValidationError('messages', 'a designed voice needs a description of the voice')
      // Voice design has one user message: the description, with any speaking style after it.
      messages.push({ role: 'user', content: style ? `${description}\n${style}` : description })
      break
    }
  }

  const optimize = o.optimizeTextPreview === true
  if (text) messages.push({ role: 'assistant', content: text })
  else if (!(optimize && o.voice.kind === 'design')) throw new MimoValidationError('text', 'there is no text to speak')

  const request: ChatRequest = {
    model,
    messages,
    audio: {
      format: o.format ?? (stream ? 'pcm16' : 'wav'),
      ...(voice !== undefined ? { voice } : {}),
      ...(optimize ? { optimize_text_preview: true } : {})
    },
    stream
  }
  return request
}
