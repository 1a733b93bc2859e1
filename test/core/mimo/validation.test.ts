import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { audioDataUri } from '../../../src/core/mimo/builders'
import { MimoValidationError } from '../../../src/core/mimo/errors'
import type { ChatRequest } from '../../../src/core/mimo/types'
import { validateRequest } from '../../../src/core/mimo/validation'
import { startFakeMimo, type FakeMimo } from '../../fake-mimo/server'
import { soxConvert, toneWav } from './audio-samples'
import { useFakeMimoClient } from './client-fixture'

const wav = toneWav(0.5)
const mp3 = soxConvert(wav, 'mp3')
const flac = soxConvert(wav, 'flac')
const wavUri = audioDataUri(wav)
const chat = { model: 'mimo-v2.5', messages: [{ role: 'user', content: 'Hi' }] }
const tts = { model: 'mimo-v2.5-tts', messages: [{ role: 'assistant', content: 'Hello.' }], audio: { format: 'wav', voice: 'Mia' } }
const clone = (voice: string): unknown => ({ model: 'mimo-v2.5-tts-voiceclone', messages: [{ role: 'assistant', content: 'Hello.' }], audio: { voice } })
const design = { model: 'mimo-v2.5-tts-voicedesign', messages: [{ role: 'user', content: 'A deep voice.' }, { role: 'assistant', content: 'Hello.' }] }
const audioPart = { type: 'input_audio', input_audio: { data: wavUri } }
const text = { type: 'text', text: 'Answer the spoken question.' }
/** A whole 1×1 PNG: the service decodes the images it is sent. */
const PNG_1PX = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
const imageAsk = (url: string): unknown => ({ model: 'mimo-v2.5', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url } }, { type: 'text', text: 'What is this?' }] }] })

/** [what is wrong, request, field named, whether the service also refuses it] */
const REFUSED: Array<[string, unknown, string, boolean]> = [
  ['an unknown top-level field', { ...chat, n: 2 }, 'n', true],
  ['stream_options (not a MiMo field)', { ...chat, stream_options: { include_usage: true } }, 'stream_options', true],
  ['no model', { messages: chat.messages }, 'model', true],
  ['no messages', { model: 'mimo-v2.5', messages: [] }, 'messages', true],
  ['temperature above 1.5', { ...chat, temperature: 1.6 }, 'temperature', true],
  ['temperature below 0', { ...chat, temperature: -0.1 }, 'temperature', true],
  ['top_p of 0', { ...chat, top_p: 0 }, 'top_p', true],
  ['frequency_penalty above 2', { ...chat, frequency_penalty: 2.5 }, 'frequency_penalty', true],
  ['presence_penalty below -2', { ...chat, presence_penalty: -2.1 }, 'presence_penalty', true],
  ['max_completion_tokens of 0', { ...chat, max_completion_tokens: 0 }, 'max_completion_tokens', true],
  ['max_completion_tokens above 131072', { ...chat, max_completion_tokens: 131073 }, 'max_completion_tokens', true],
  ['fractional max_completion_tokens', { ...chat, max_completion_tokens: 10.5 }, 'max_completion_tokens', true],
  ['five stop sequences', { ...chat, stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop', true],
  ['tool_choice other than auto', { ...chat, tool_choice: 'required' }, 'tool_choice', true],
  ['a function name with a space', { ...chat, tools: [{ type: 'function', function: { name: 'get weather' } }] }, 'tools[0].function.name', true],
  ['a function name of 65 characters', { ...chat, tools: [{ type: 'function', function: { name: 'x'.repeat(65) } }] }, 'tools[0].function.name', true],
  ['web_search max_keyword of 51', { ...chat, tools: [{ type: 'web_search', max_keyword: 51 }] }, 'tools[0].max_keyword', true],
  ['web_search limit of 0', { ...chat, tools: [{ type: 'web_search', limit: 0 }] }, 'tools[0].limit', true],
  ['web_search user_location not approximate', { ...chat, tools: [{ type: 'web_search', user_location: { type: 'exact' } }] }, 'tools[0].user_location.type', true],
  ['web_search longitude out of range', { ...chat, tools: [{ type: 'web_search', user_location: { type: 'approximate', longitude: 200 } }] }, 'tools[0].user_location.longitude', false],
  ['an unknown tool type', { ...chat, tools: [{ type: 'code_interpreter' }] }, 'tools[0].type', true],
  ['thinking type "on"', { ...chat, thinking: { type: 'on' } }, 'thinking.type', true],
  ['response_format xml', { ...chat, response_format: { type: 'xml' } }, 'response_format.type', true],
  ['role "bot"', { model: 'mimo-v2.5', messages: [{ role: 'bot', content: 'Hi' }] }, 'messages[0].role', true],
  ['a tool message without tool_call_id', { model: 'mimo-v2.5', messages: [{ role: 'tool', content: '42' }] }, 'messages[0].tool_call_id', true],
  ['a tool message that answers no call', { model: 'mimo-v2.5', messages: [chat.messages[0], { role: 'tool', tool_call_id: 'call_1', content: '42' }] }, 'messages[1].tool_call_id', true],
  ['a tool call left unanswered', { model: 'mimo-v2.5', messages: [chat.messages[0], { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }, { id: 'call_2', type: 'function', function: { name: 'g', arguments: '{}' } }] }, { role: 'tool', tool_call_id: 'call_1', content: '42' }] }, 'messages', true],
  ['a user message before the tool calls are answered', { model: 'mimo-v2.5', messages: [chat.messages[0], { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }] }, chat.messages[0]] }, 'messages[2]', true],
  ['an image in a system message', { model: 'mimo-v2.5', messages: [{ role: 'system', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] }, chat.messages[0]] }, 'messages[0].content[0].type', true],
  ['an assistant message with neither content nor tool_calls', { model: 'mimo-v2.5', messages: [{ role: 'assistant' }, chat.messages[0]] }, 'messages[0].content', true],
  ['a name that is not a string', { model: 'mimo-v2.5', messages: [{ role: 'user', content: 'Hi', name: 5 }] }, 'messages[0].name', false],
  ['audio output options on a chat model', { ...chat, audio: { format: 'wav' } }, 'audio', true],
  ['input audio as plain base64', { model: 'mimo-v2.5', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: wav.toString('base64') } }, text] }] }, 'messages[0].content[0].input_audio.data', true],
  ['input audio that is not audio', { model: 'mimo-v2.5', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: `data:audio/wav;base64,${Buffer.from('plain text, no audio here').toString('base64')}` } }, text] }] }, 'messages[0].content[0].input_audio.data', true],
  ['input audio with a format field', { model: 'mimo-v2.5', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: wavUri, format: 'wav' } }, text] }] }, 'messages[0].content[0].input_audio.format', true],
  ['a user message with audio alone', { model: 'mimo-v2.5', messages: [{ role: 'user', content: [audioPart] }] }, 'messages[0].content', true],
  ['audio input to mimo-v2.5-pro', { model: 'mimo-v2.5-pro', messages: [{ role: 'user', content: [audioPart, text] }] }, 'messages[0].content[0]', true],
  ['an image as plain base64', imageAsk(PNG_1PX.split(',')[1]), 'messages[0].content[0].image_url.url', true],
  ['an image of type image/tiff', imageAsk(`data:image/tiff;base64,${PNG_1PX.split(',')[1]}`), 'messages[0].content[0].image_url.url', true],
  ['an image over 4 MB', imageAsk(`data:image/png;base64,iVBORw0KGgo${'A'.repeat(6 * 1024 * 1024)}`), 'messages[0].content[0].image_url.url', false],
  ['an image to mimo-v2.5-pro', { model: 'mimo-v2.5-pro', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }, text] }] }, 'messages[0].content[0]', true],
  ['video fps of 20', { model: 'mimo-v2.5', messages: [{ role: 'user', content: [{ type: 'video_url', video_url: { url: 'https://x/v.mp4' }, fps: 20 }, text] }] }, 'messages[0].content[0].fps', true],
  ['video media_resolution "high"', { model: 'mimo-v2.5', messages: [{ role: 'user', content: [{ type: 'video_url', video_url: { url: 'https://x/v.mp4' }, media_resolution: 'high' }, text] }] }, 'messages[0].content[0].media_resolution', true],
  ['tools on a TTS model', { ...tts, tools: [{ type: 'web_search' }] }, 'tools', true],
  ['tool_choice on a TTS model', { ...tts, tool_choice: 'auto' }, 'tool_choice', true],
  ['thinking on a TTS model', { ...tts, thinking: { type: 'disabled' } }, 'thinking', true],
  ['response_format on a TTS model', { ...tts, response_format: { type: 'text' } }, 'response_format', true],
  ['stop on a TTS model', { ...tts, stop: '.' }, 'stop', true],
  ['max_completion_tokens above 8192 on TTS', { ...tts, max_completion_tokens: 8193 }, 'max_completion_tokens', true],
  ['TTS without an assistant message', { ...tts, messages: [{ role: 'user', content: 'Say hello.' }] }, 'messages', true],
  ['TTS with an unknown voice', { ...tts, audio: { voice: 'Bob' } }, 'audio.voice', true],
  ['TTS audio format ogg', { ...tts, audio: { format: 'ogg' } }, 'audio.format', true],
  ['optimize_text_preview on mimo-v2.5-tts', { ...tts, audio: { optimize_text_preview: true } }, 'audio.optimize_text_preview', true],
  ['a system message to a TTS model', { ...tts, messages: [{ role: 'system', content: 'Be nice.' }, ...tts.messages] }, 'messages', false],
  ['the clone sample as an input_audio part', { ...(clone(wavUri) as object), messages: [{ role: 'user', content: [audioPart, text] }, { role: 'assistant', content: 'Hello.' }] }, 'messages[0].content[0].type', true],
  ['voice design with audio.voice', { ...design, audio: { voice: 'Mia' } }, 'audio.voice', true],
  ['voice design without a description', { ...design, messages: [{ role: 'assistant', content: 'Hello.' }] }, 'messages', true],
  ['voice clone without a sample', { ...(clone('') as object), audio: {} }, 'audio.voice', true],
  ['a clone sample as plain base64', clone(wav.toString('base64')), 'audio.voice', true],
  ['a flac clone sample', clone(`data:audio/flac;base64,${flac.toString('base64')}`), 'audio.voice', true],
  ['a clone sample labelled wav holding mp3', clone(`data:audio/wav;base64,${mp3.toString('base64')}`), 'audio.voice', true],
  ['a clone sample over 10 MB of base64', clone(`data:audio/wav;base64,${'UklGRiQAAABXQVZF'}${'A'.repeat(10 * 1024 * 1024)}`), 'audio.voice', true]
]

function thrownBy(fn: () => unknown): unknown {
  try {
    fn()
  } catch (err) {
    return err
  }
  return undefined
}

describe('client-side validation', () => {
  const mimo = useFakeMimoClient()

  for (const [what, request, field] of REFUSED) {
    it(`refuses ${what}, naming ${field}, and sends nothing`, async () => {
      const err = thrownBy(() => mimo.client.chat(request as ChatRequest))
      expect(err).toBeInstanceOf(MimoValidationError)
      expect((err as MimoValidationError).field).toBe(field)
      await expect(mimo.client.complete(request as ChatRequest)).rejects.toMatchObject({ name: 'MimoValidationError', field })
      expect(mimo.fake.requests).toHaveLength(0)
    })
  }

  it('refuses input audio over 50 MB of base64 without sending it', async () => {
    const huge = `data:audio/wav;base64,UklGRiQAAABXQVZF${'A'.repeat(50 * 1024 * 1024)}`
    const request = { model: 'mimo-v2.5', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: huge } }, text] }] } as ChatRequest
    expect(thrownBy(() => mimo.client.chat(request))).toMatchObject({ field: 'messages[0].content[0].input_audio.data', message: expect.stringMatching(/50 MB/) })
    expect(mimo.fake.requests).toHaveLength(0)
  })

  it('explains a refusal to the user with the field as param', () => {
    const err = thrownBy(() => validateRequest({ ...chat, temperature: 3 } as ChatRequest)) as MimoValidationError
    expect(err.toUserError()).toEqual({ kind: 'input', message: 'This request cannot be sent to MiMo: must be between 0 and 1.5.', param: 'temperature' })
  })

  it('accepts a request using every field of the reference, and so does the service', async () => {
    const everything: ChatRequest = {
      model: 'mimo-v2.5',
      messages: [
        { role: 'developer', content: [{ type: 'text', text: 'Be brief.' }], name: 'dev' },
        { role: 'system', content: 'You are a voice assistant.', name: 'sys' },
        { role: 'user', content: 'What is the weather in Beijing?', name: 'ann' },
        {
          role: 'assistant',
          content: null,
          reasoning_content: 'I should look it up.',
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Beijing"}' } }]
        },
        { role: 'tool', content: [{ type: 'text', text: 'Sunny, 21 degrees.' }], tool_call_id: 'call_1' },
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: PNG_1PX } },
            { type: 'video_url', video_url: { url: 'https://example.com/v.mp4' }, fps: 0.5, media_resolution: 'max' },
            { type: 'input_audio', input_audio: { data: wavUri } },
            { type: 'text', text: 'And tomorrow?' }
          ]
        }
      ],
      tools: [
        { type: 'function', function: { name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: true } },
        { type: 'web_search', user_location: { type: 'approximate', country: 'CN', region: 'Beijing', city: 'Beijing', district: 'Haidian', longitude: 116.3, latitude: 39.99 }, force_search: true, max_keyword: 3, limit: 4 }
      ],
      tool_choice: 'auto',
      thinking: { type: 'enabled' },
      temperature: 1,
      top_p: 0.9,
      frequency_penalty: 0.5,
      presence_penalty: -0.5,
      max_completion_tokens: 4096,
      stop: ['\n\n', 'END'],
      response_format: { type: 'text' }
    }
    expect(() => validateRequest(everything)).not.toThrow()
    const completion = await mimo.client.complete(everything)
    expect(mimo.fake.requests).toHaveLength(1)
    expect(mimo.fake.requests[0].status).toBe(200)
    expect(completion.choices[0].message.annotations).toHaveLength(3)
    expect(completion.usage?.web_search_usage).toEqual({ tool_usage: 1, page_usage: 3 })
    expect(completion.usage?.prompt_tokens_details?.audio_tokens).toBeGreaterThan(0)
  })
})

describe('the fake service refuses the same requests (checked without the client)', () => {
  let fake: FakeMimo
  beforeAll(async () => {
    fake = await startFakeMimo()
  })
  afterAll(async () => {
    await fake.close()
  })

  for (const [what, request] of REFUSED.filter((c) => c[3])) {
    it(`answers 400 Param Incorrect to ${what}`, async () => {
      const res = await fetch(`${fake.url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'api-key': 'test-key' },
        body: JSON.stringify(request)
      })
      const body = (await res.json()) as { error: { code: string; message: string; param: string; type: string } }
      expect(res.status).toBe(400)
      expect(body.error).toMatchObject({ code: '400', message: 'Param Incorrect', type: '' })
      expect(body.error.param.length).toBeGreaterThan(0)
    })
  }
})
