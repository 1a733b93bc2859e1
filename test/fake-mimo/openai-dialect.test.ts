// The fake speaks the same dialect as the service: the official OpenAI client, which MiMo's own
// guides use against api.xiaomimimo.com, reads its streams, its audio, its answers and its errors.

import OpenAI, { APIError } from 'openai'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startFakeMimo, type FakeMimo } from './server'

// MiMo fields the OpenAI types do not know (thinking, reasoning_content, audio.voice ids, annotations).
type Loose = Record<string, unknown>

describe('the official openai client against the fake', () => {
  let fake: FakeMimo
  let openai: OpenAI
  beforeAll(async () => {
    fake = await startFakeMimo()
    openai = new OpenAI({ apiKey: 'test-key', baseURL: fake.url, maxRetries: 0 })
  })
  afterAll(async () => {
    await fake.close()
  })
  beforeEach(() => {
    fake.clearRequests()
    fake.clearFaults()
  })

  it('parses a streamed chat: reasoning, content, finish reason and usage on the last chunk', async () => {
    const stream = await openai.chat.completions.create({
      model: 'mimo-v2.5',
      stream: true,
      messages: [{ role: 'user', content: 'What is MiMo?' }]
    })
    let content = ''
    let reasoning = ''
    let finish: string | null = null
    let usage: OpenAI.CompletionUsage | null | undefined
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as Loose | undefined
      content += (delta?.content as string | undefined) ?? ''
      reasoning += (delta?.reasoning_content as string | undefined) ?? ''
      finish = chunk.choices[0]?.finish_reason ?? finish
      if (chunk.usage) usage = chunk.usage
    }
    expect(content).toContain('What is MiMo')
    expect(reasoning).toMatch(/^The user asked/)
    expect(finish).toBe('stop')
    expect(usage?.total_tokens).toBeGreaterThan(0)
    // The openai client authenticates with a Bearer token.
    expect(fake.requests[0].headers.authorization).toBe('Bearer test-key')
  })

  it('parses streamed TTS audio deltas into PCM16', async () => {
    const stream = await openai.chat.completions.create({
      model: 'mimo-v2.5-tts',
      stream: true,
      audio: { format: 'pcm16', voice: 'Mia' } as unknown as OpenAI.ChatCompletionAudioParam,
      messages: [{ role: 'assistant', content: 'Hello from the fake service, in a real voice.' }]
    })
    const pieces: Buffer[] = []
    for await (const chunk of stream) {
      const audio = (chunk.choices[0]?.delta as Loose | undefined)?.audio as { data?: string } | undefined
      if (audio?.data) pieces.push(Buffer.from(audio.data, 'base64'))
    }
    expect(pieces.length).toBeGreaterThan(3)
    const pcm = Buffer.concat(pieces)
    expect(pcm.length % 2).toBe(0)
    expect(pcm.length / 2 / 24000).toBeGreaterThan(1)
  })

  it('parses non-streamed chat and TTS answers', async () => {
    const chat = await openai.chat.completions.create({
      model: 'mimo-v2.5-pro',
      messages: [{ role: 'user', content: 'Hello' }],
      thinking: { type: 'disabled' }
    } as OpenAI.ChatCompletionCreateParamsNonStreaming & Loose)
    expect(chat.object).toBe('chat.completion')
    expect(chat.choices[0].message.content).toContain('Hello')
    expect(chat.usage?.prompt_tokens).toBeGreaterThan(0)

    const tts = await openai.chat.completions.create({
      model: 'mimo-v2.5-tts',
      audio: { format: 'wav', voice: 'Dean' } as unknown as OpenAI.ChatCompletionAudioParam,
      messages: [{ role: 'assistant', content: 'Goodbye.' }]
    })
    const wav = Buffer.from(tts.choices[0].message.audio!.data, 'base64')
    expect(wav.toString('latin1', 0, 4)).toBe('RIFF')
    expect(wav.toString('latin1', 8, 12)).toBe('WAVE')
  })

  it('reports the fake service errors as APIError with status and the error body', async () => {
    const bad = new OpenAI({ apiKey: 'wrong-key', baseURL: fake.url, maxRetries: 0 })
    const unauthorized = await bad.chat.completions.create({ model: 'mimo-v2.5', messages: [{ role: 'user', content: 'Hi' }] }).catch((e: unknown) => e)
    expect(unauthorized).toBeInstanceOf(APIError)
    expect(unauthorized).toMatchObject({ status: 401, type: 'invalid_key', error: { code: '401', message: 'Invalid API Key', type: 'invalid_key' } })

    const refused = await openai.chat.completions.create({ model: 'mimo-v2-flash', messages: [{ role: 'user', content: 'Hi' }] }).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(OpenAI.BadRequestError)
    expect((refused as APIError).param).toMatch(/retired/)
    expect((refused as APIError).error).toMatchObject({ code: '400', message: 'Param Incorrect' })

    fake.injectFault({ kind: 'status', status: 429, retryAfterSec: 3 })
    const limited = await openai.chat.completions.create({ model: 'mimo-v2.5', messages: [{ role: 'user', content: 'Hi' }] }).catch((e: unknown) => e)
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError)
    expect((limited as APIError).headers?.get('retry-after')).toBe('3')
    expect((limited as APIError).error).toMatchObject({ message: 'Too many requests', type: 'limitation' })
  })

  it('a cut stream surfaces as an error in the openai client too', async () => {
    fake.injectFault({ kind: 'cut-mid-stream', afterChunks: 3 })
    const stream = await openai.chat.completions.create({ model: 'mimo-v2.5', stream: true, messages: [{ role: 'user', content: 'Hi' }] })
    const err = await (async () => {
      for await (const _ of stream) {
        // read until it breaks
      }
    })().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(Error)
  })
})
