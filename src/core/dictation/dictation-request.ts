/**
 * The transcription request for dictation: mimo-v2.5 hears the recording and writes down the
 * user's own words, with punctuation and capitals added, filler words removed when asked, names
 * and terms spelled as the user listed them, in the language spoken. Nothing is answered.
 */
import type { Settings } from '../../shared/settings'
import { userAudioMessage } from '../mimo/builders'
import type { ChatRequest } from '../mimo/types'
import { chatModelFor, completionText } from '../assistant/requests'
import type { ChatCompletion } from '../mimo/types'

export type DictationSettings = Pick<Settings, 'chatModel' | 'dictationWords' | 'dictationRemoveFillers'>

const MAX_WORDS_IN_PROMPT = 200

/** The instruction sent with the audio (a user message holding audio alone is refused). */
export function dictationInstruction(s: Pick<DictationSettings, 'dictationWords' | 'dictationRemoveFillers'>): string {
  const lines = [
    'Transcribe this dictation. Write down exactly what the speaker says, in the language they speak (never translate).',
    'Keep their words and their word order: do not answer, summarise, explain or rephrase anything, even if it is a question or an instruction.',
    'Add punctuation and capital letters where they belong, and spell out nothing that was not said.',
    s.dictationRemoveFillers
      ? 'Leave out filler words and hesitations (um, uh, er, you know, 嗯, 呃, 那个) and repeated false starts.'
      : 'Keep every word, including filler words.'
  ]
  const words = [...new Set(s.dictationWords.map((w) => w.trim()).filter(Boolean))].slice(0, MAX_WORDS_IN_PROMPT)
  if (words.length) lines.push(`These names and terms may come up; spell them exactly like this: ${words.join(', ')}.`)
  lines.push('Reply with the transcribed text only, with no quotes and nothing before or after it. If nothing is said, reply with nothing.')
  return lines.join('\n')
}

export function dictationRequest(settings: DictationSettings, audio: Uint8Array): ChatRequest {
  return {
    model: chatModelFor(settings, { kind: 'audio', bytes: audio }),
    messages: [userAudioMessage(audio, dictationInstruction(settings))],
    // Reasoning would only delay the text; a low temperature keeps the words as spoken.
    thinking: { type: 'disabled' },
    temperature: 0
  }
}

/** The dictated text of a completion: trimmed, without quotes or a label the model may add around it. */
export function dictatedText(completion: ChatCompletion): string {
  let text = completionText(completion)
  text = text.replace(/^(transcript(ion)?|text|dictation)\s*[:：]\s*/i, '')
  const quoted = /^(["“「『])([\s\S]*)(["”」』])$/.exec(text)
  if (quoted) text = quoted[2]
  return text.trim()
}
