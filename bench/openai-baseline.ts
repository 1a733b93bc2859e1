/**
 * The baseline the benches compare a turn with: what a plain OpenAI-SDK client does, the whole answer
 * first, then the whole speech as WAV, nothing streamed. Returns the speech as samples (decoding is
 * part of the wait before the first audio).
 */
import OpenAI from 'openai'
import { decodeWav, floatToPcm16 } from '../src/core/audio/wav'

type UserContent = string | Array<Record<string, unknown>>

export async function openaiBaselineTurn(openai: OpenAI, o: { systemPrompt: string; question: UserContent }): Promise<Int16Array> {
  const answer = await openai.chat.completions.create({
    model: 'mimo-v2.5',
    messages: [
      { role: 'system', content: o.systemPrompt },
      { role: 'user', content: o.question }
    ],
    thinking: { type: 'disabled' }
  } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming)
  const text = answer.choices[0].message.content ?? ''
  const speech = await openai.chat.completions.create({
    model: 'mimo-v2.5-tts',
    messages: [{ role: 'assistant', content: text }],
    audio: { format: 'wav', voice: 'mimo_default' }
  } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming)
  return floatToPcm16(decodeWav(Buffer.from(speech.choices[0].message.audio?.data ?? '', 'base64')).samples[0])
}
