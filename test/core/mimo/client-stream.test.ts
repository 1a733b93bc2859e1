import { beforeEach, describe, expect, it } from 'vitest'
import { userAudioMessage } from '../../../src/core/mimo/builders'
import { completionText } from '../../../src/core/mimo/chat-events'
import { MimoClient } from '../../../src/core/mimo/client'
import type { ChatEvent, ChatRequest } from '../../../src/core/mimo/types'
import { defaultReply, reasoningFor, type ReplyContext } from '../../fake-mimo/replies'
import { startFakeMimo } from '../../fake-mimo/server'
import { toneWav } from './audio-samples'
import { chatEvents, useFakeMimoClient } from './client-fixture'

const QUESTION = 'Why is the sky blue?'
const ask = (extra: Partial<ChatRequest> = {}): ChatRequest => ({ model: 'mimo-v2.5', messages: [{ role: 'user', content: QUESTION }], ...extra })
const noThinking = { thinking: { type: 'disabled' as const } }
const expectedReply = defaultReply({ question: QUESTION } as ReplyContext)

const textOf = (events: ChatEvent[]): string => events.filter((e) => e.type === 'text').map((e) => (e as { text: string }).text).join('')
const typesOf = (events: ChatEvent[]): string[] => events.map((e) => e.type).filter((t, i, all) => t !== all[i - 1])

describe('streamed chat against the fake service', () => {
  const mimo = useFakeMimoClient()
  beforeEach(() => {
    // Some tests set their own reply; the others expect the fake's usual one.
    mimo.fake.setReply((ctx) => defaultReply(ctx))
  })

  const run = (request: ChatRequest): Promise<ChatEvent[]> => chatEvents(mimo.client, request)

  it('thinking left to its default (on for mimo-v2.5): reasoning first, then the answer, finish, usage', async () => {
    const events = await run(ask())
    expect(typesOf(events)).toEqual(['reasoning', 'text', 'finish', 'usage'])
    expect(events.filter((e) => e.type === 'reasoning').map((e) => (e as { text: string }).text).join('')).toBe(reasoningFor({ question: QUESTION } as ReplyContext))
    expect(textOf(events)).toBe(expectedReply)
    expect(events.some((e) => e.type === 'text' && e.fromReasoning)).toBe(false)
    const usage = events.at(-1) as Extract<ChatEvent, { type: 'usage' }>
    expect(usage.usage.completion_tokens_details?.reasoning_tokens).toBeGreaterThan(0)
    expect(mimo.fake.requests[0].body).toMatchObject({ stream: true })
    expect(mimo.fake.requests[0].body).not.toHaveProperty('thinking')
  })

  it('thinking disabled: no reasoning at all', async () => {
    const events = await run(ask(noThinking))
    expect(typesOf(events)).toEqual(['text', 'finish', 'usage'])
    expect((events.at(-1) as Extract<ChatEvent, { type: 'usage' }>).usage.completion_tokens_details?.reasoning_tokens).toBe(0)
  })

  it('answer only in reasoning_content: the reasoning comes once, at the end, marked fromReasoning', async () => {
    mimo.fake.injectFault({ kind: 'reasoning-only' })
    const events = await run(ask(noThinking))
    const texts = events.filter((e) => e.type === 'text')
    expect(texts).toEqual([{ type: 'text', text: expectedReply, fromReasoning: true }])
    expect(typesOf(events)).toEqual(['reasoning', 'text', 'finish', 'usage'])
  })

  it('answer only in reasoning_content, not streamed: completionText falls back to it', async () => {
    mimo.fake.injectFault({ kind: 'reasoning-only' })
    const completion = await mimo.client.complete(ask(noThinking))
    expect(completion.choices[0].message.content).toBe('')
    expect(completionText(completion)).toEqual({ text: expectedReply, fromReasoning: true })
    expect(completionText(await mimo.client.complete(ask(noThinking)))).toEqual({ text: expectedReply, fromReasoning: false })
  })

  it('web search: annotations before the answer, and web_search_usage in the usage', async () => {
    const events = await run(ask({ ...noThinking, tools: [{ type: 'web_search', limit: 2, force_search: true }] }))
    expect(typesOf(events)).toEqual(['annotations', 'text', 'finish', 'usage'])
    const annotations = (events[0] as Extract<ChatEvent, { type: 'annotations' }>).annotations
    expect(annotations).toHaveLength(2)
    expect(annotations[0]).toMatchObject({ url: expect.stringMatching(/^https:\/\//), title: expect.any(String), site_name: 'example.com' })
    expect((events.at(-1) as Extract<ChatEvent, { type: 'usage' }>).usage.web_search_usage).toEqual({ tool_usage: 1, page_usage: 2 })
  })

  it('web search that fails: a search-error event, and the answer still comes', async () => {
    const noSearch = await startFakeMimo({ webSearchUnavailable: true })
    const c = new MimoClient({ baseUrl: noSearch.url, apiKey: 'test-key' })
    const events: ChatEvent[] = []
    for await (const e of c.chat(ask({ ...noThinking, tools: [{ type: 'web_search' }] }))) events.push(e)
    await c.close()
    await noSearch.close()
    expect(events[0]).toEqual({ type: 'search-error', message: expect.stringMatching(/not activated/) })
    expect(textOf(events)).toBe(expectedReply)
  })

  it('function tools: the call streams as tool-call deltas and finishes with tool_calls; reasoning is not spoken', async () => {
    const request = ask({ tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }] })
    request.messages = [{ role: 'user', content: 'Please call get_weather for Beijing.' }]
    const events = await run(request)
    const calls = events.filter((e) => e.type === 'tool-call') as Array<Extract<ChatEvent, { type: 'tool-call' }>>
    expect(calls[0]).toMatchObject({ index: 0, id: expect.stringMatching(/^call_/), name: 'get_weather' })
    expect(calls.length).toBeGreaterThan(2)
    const args = JSON.parse(calls.map((c) => c.argumentsDelta ?? '').join(''))
    expect(args).toEqual({ question: 'Please call get_weather for Beijing.' })
    expect(events.find((e) => e.type === 'finish')).toEqual({ type: 'finish', reason: 'tool_calls' })
    expect(events.some((e) => e.type === 'text')).toBe(false)
  })

  it('a follow-up with the tool result gets an ordinary answer', async () => {
    const events = await run({
      model: 'mimo-v2.5',
      thinking: { type: 'disabled' },
      tools: [{ type: 'function', function: { name: 'get_weather' } }],
      messages: [
        { role: 'user', content: 'Please call get_weather for Beijing.' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'Sunny.' }
      ]
    })
    expect(textOf(events)).toContain('get_weather')
    expect(events.find((e) => e.type === 'finish')).toEqual({ type: 'finish', reason: 'stop' })
  })

  it('max_completion_tokens reached: finish reason length', async () => {
    const events = await run(ask({ ...noThinking, max_completion_tokens: 5 }))
    expect(events.filter((e) => e.type === 'text')).toHaveLength(5)
    expect(events.find((e) => e.type === 'finish')).toEqual({ type: 'finish', reason: 'length' })
  })

  it('a spoken question is answered about what was heard; a transcription request gets the transcript', async () => {
    mimo.fake.setTranscript('How tall is Mount Everest?')
    const wav = toneWav(0.5)
    const answer = await run({ model: 'mimo-v2.5', thinking: { type: 'disabled' }, messages: [userAudioMessage(wav)] })
    expect(textOf(answer)).toContain('How tall is Mount Everest')
    const transcript = await run({ model: 'mimo-v2.5', thinking: { type: 'disabled' }, messages: [userAudioMessage(wav, 'Transcribe the audio verbatim.')] })
    expect(textOf(transcript)).toBe('How tall is Mount Everest?')
    const usage = transcript.at(-1) as Extract<ChatEvent, { type: 'usage' }>
    // About 6.25 tokens per second of audio: half a second is 3.
    expect(usage.usage.prompt_tokens_details?.audio_tokens).toBe(3)
  })

  it('the reply can be set, as text or from the question', async () => {
    mimo.fake.setReply('Fixed answer. Two sentences.')
    expect(textOf(await run(ask(noThinking)))).toBe('Fixed answer. Two sentences.')
    mimo.fake.setReply((ctx) => `Echo: ${ctx.question}`)
    expect(textOf(await run(ask(noThinking)))).toBe(`Echo: ${QUESTION}`)
  })

  it('non-streamed chat returns the whole completion with usage', async () => {
    const completion = await mimo.client.complete(ask())
    expect(completion.object).toBe('chat.completion')
    expect(completion.choices[0]).toMatchObject({ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: expectedReply } })
    expect(completion.choices[0].message.reasoning_content).toBe(reasoningFor({ question: QUESTION } as ReplyContext))
    expect(completion.usage?.total_tokens).toBe((completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0))
    expect(mimo.fake.requests[0].body).toMatchObject({ stream: false })
    expect(mimo.fake.requests[0].headers.accept).toBe('application/json')
  })

  it('reuses keep-alive connections across requests', async () => {
    for (let i = 0; i < 6; i++) await run(ask(noThinking))
    await mimo.client.complete(ask(noThinking))
    const connections = new Set(mimo.fake.requests.map((r) => r.connection))
    expect(mimo.fake.requests).toHaveLength(7)
    expect(connections.size).toBeLessThanOrEqual(2)
  })

  it('a cut stream ends in a MimoError carrying the partial text', async () => {
    mimo.fake.injectFault({ kind: 'cut-mid-stream', afterChunks: 6 })
    const seen: ChatEvent[] = []
    const err = await (async () => {
      for await (const e of mimo.client.chat(ask(noThinking))) seen.push(e)
    })().catch((e: unknown) => e)
    expect(err).toMatchObject({ name: 'MimoError', status: 0, code: 'stream_cut' })
    expect((err as { partialText: string }).partialText).toBe(textOf(seen))
    expect(textOf(seen).split(' ').filter(Boolean)).toHaveLength(6)
    expect((err as { toUserError(): { kind: string; hint?: string } }).toUserError()).toMatchObject({ kind: 'network', hint: expect.stringMatching(/Part of the answer/) })
  })

  it('a malformed event ends in a MimoError carrying the partial text', async () => {
    mimo.fake.injectFault({ kind: 'malformed-event', afterChunks: 3 })
    const err = await run(ask(noThinking)).catch((e: unknown) => e)
    expect(err).toMatchObject({ name: 'MimoError', status: 0, code: 'malformed_stream', userMessage: expect.stringMatching(/damaged/) })
    expect((err as { partialText: string }).partialText).toBe(expectedReply.split(/(?=\s)/).slice(0, 3).join(''))
  })

  it('non-streamed faults: a cut body and a malformed body', async () => {
    mimo.fake.injectFault({ kind: 'cut-mid-stream' })
    await expect(mimo.client.complete(ask(noThinking))).rejects.toMatchObject({ status: 0, code: 'stream_cut' })
    mimo.fake.injectFault({ kind: 'malformed-event' })
    await expect(mimo.client.complete(ask(noThinking))).rejects.toMatchObject({ status: 0, code: 'malformed_response' })
  })
})
