import { describe, expect, it } from 'vitest'
import { dictatedText, dictationInstruction, dictationRequest } from '../../../src/core/dictation/dictation-request'
import { encodeWav } from '../../../src/core/audio/wav'
import { validateRequest } from '../../../src/core/mimo/validation'
import { DEFAULT_SETTINGS } from '../../../src/shared/settings'
import type { ChatCompletion } from '../../../src/core/mimo/types'

const wav = encodeWav(new Int16Array(1600), 16000)

function completion(content: string, reasoning?: string): ChatCompletion {
  return {
    id: 'x',
    object: 'chat.completion',
    created: 0,
    model: 'mimo-v2.5',
    choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content, ...(reasoning ? { reasoning_content: reasoning } : {}) } }]
  } as ChatCompletion
}

describe('the dictation request', () => {
  it('sends the audio to mimo-v2.5 with the instruction beside it, thinking off, and passes the client checks', () => {
    const request = dictationRequest({ ...DEFAULT_SETTINGS, chatModel: 'mimo-v2.5-pro' }, wav)
    expect(request.model).toBe('mimo-v2.5') // the text-only model cannot hear
    expect(request.thinking).toEqual({ type: 'disabled' })
    const content = request.messages[0].content as Array<{ type: string; text?: string }>
    expect(content.map((p) => p.type)).toEqual(['input_audio', 'text'])
    expect(content[1].text).toBe(dictationInstruction(DEFAULT_SETTINGS))
    expect(() => validateRequest(request)).not.toThrow()
  })

  it('keeps the words and the language; fillers go only when asked; the word list is spelled out', () => {
    const plain = dictationInstruction({ dictationWords: [], dictationRemoveFillers: false })
    expect(plain).toMatch(/never translate/)
    expect(plain).toMatch(/do not answer/)
    expect(plain).toMatch(/Keep every word, including filler words/)
    expect(plain).not.toMatch(/spell them exactly/)
    const tuned = dictationInstruction({ dictationWords: ['MiMo', 'Xiaomi', ' MiMo '], dictationRemoveFillers: true })
    expect(tuned).toMatch(/Leave out filler words/)
    expect(tuned).toContain('spell them exactly like this: MiMo, Xiaomi.')
  })

  it('the text comes back without a label or quotes the model may add; reasoning is the fallback', () => {
    expect(dictatedText(completion('  Hello there, world.  '))).toBe('Hello there, world.')
    expect(dictatedText(completion('Transcript: "Send the report by Friday."'))).toBe('Send the report by Friday.')
    expect(dictatedText(completion('“明天见。”'))).toBe('明天见。')
    expect(dictatedText(completion('', 'Meet me at noon.'))).toBe('Meet me at noon.')
  })
})
