import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { m4aHead, soxConvert, toneWav } from '../core/mimo/audio-samples'
import { startFakeMimo, type FakeMimo, type FakeMimoOptions } from './server'
import { INVALID_AUDIO } from './service-rules'
import { speechToolsAvailable, stripStyleTags, synthesize, toneFor, SAMPLE_RATE } from './speech'

const wav = toneWav(1)
const uri = (mime: string, bytes: Buffer): string => `data:${mime};base64,${bytes.toString('base64')}`
const instruction = { type: 'text', text: 'Answer the spoken question.' }

interface Answer {
  status: number
  headers: Headers
  text: string
  json: () => Record<string, unknown>
  /** The `data:` payloads of an SSE answer. */
  events: () => string[]
}

async function post(fake: FakeMimo, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${fake.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'api-key': 'test-key', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body)
  })
  const text = await res.text()
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: () => JSON.parse(text) as Record<string, unknown>,
    events: () => text.split('\n\n').filter(Boolean).map((block) => {
      expect(block.startsWith('data: ')).toBe(true)
      return block.slice(6)
    })
  }
}

/**
 * A fake for the enclosing describe block, started before its tests and closed after them. Each test
 * starts with no requests logged, no faults and no delays. `served.fake` is set inside tests.
 */
function useFake(options?: FakeMimoOptions): { fake: FakeMimo } {
  const served = {} as { fake: FakeMimo }
  beforeAll(async () => {
    served.fake = await startFakeMimo(options)
  })
  afterAll(async () => {
    await served.fake?.close()
  })
  beforeEach(() => {
    served.fake.clearRequests()
    served.fake.clearFaults()
    served.fake.setLatency({ firstTokenMs: 0, perTokenMs: 0, ttsFirstByteMs: 0, ttsRealtimeFactor: 0 })
  })
  return served
}

const errorOf = (a: Answer): { code: string; message: string; param: string; type: string } => a.json().error as never

describe('fake MiMo service: the dialect', () => {
  const served = useFake()

  it('streams data: events with one id, usage null until the last chunk, then [DONE]', async () => {
    const a = await post(served.fake, { model: 'mimo-v2.5', stream: true, messages: [{ role: 'user', content: 'Hello?' }] })
    expect(a.status).toBe(200)
    expect(a.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const events = a.events()
    expect(events.at(-1)).toBe('[DONE]')
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e))
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1)
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === 'mimo-v2.5')).toBe(true)
    expect(chunks.slice(0, -1).every((c) => c.usage === null && c.choices[0].finish_reason === null)).toBe(true)
    const last = chunks.at(-1)
    expect(last.choices[0].finish_reason).toBe('stop')
    expect(last.usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number), total_tokens: expect.any(Number) })
    expect(chunks[0].choices[0].delta.role).toBe('assistant')
  })

  it('thinking is on by default for mimo-v2.5 and mimo-v2.5-pro, off when disabled', async () => {
    for (const model of ['mimo-v2.5', 'mimo-v2.5-pro']) {
      const on = (await post(served.fake, { model, messages: [{ role: 'user', content: 'Hi' }] })).json() as { choices: Array<{ message: { reasoning_content?: string } }> }
      expect(on.choices[0].message.reasoning_content).toMatch(/The user asked/)
      const off = (await post(served.fake, { model, thinking: { type: 'disabled' }, messages: [{ role: 'user', content: 'Hi' }] })).json() as typeof on
      expect(off.choices[0].message.reasoning_content).toBeUndefined()
    }
  })

  it('the default answer: three sentences, about sixty words, naming the question', async () => {
    const c = (await post(served.fake, { model: 'mimo-v2.5', thinking: { type: 'disabled' }, messages: [{ role: 'user', content: 'What is a quasar?' }] })).json() as { choices: Array<{ message: { content: string } }> }
    const answer = c.choices[0].message.content
    expect(answer).toContain('What is a quasar')
    expect(answer.match(/[.!?](\s|$)/g)).toHaveLength(3)
    const words = answer.split(/\s+/).length
    expect(words).toBeGreaterThan(50)
    expect(words).toBeLessThan(70)
  })

  it('refuses a missing or wrong key with 401 invalid_key, and takes a Bearer token', async () => {
    const attempts: Array<Record<string, string>> = [{ 'api-key': '' }, { 'api-key': 'wrong' }, { 'api-key': '', authorization: 'Bearer wrong' }]
    for (const headers of attempts) {
      const a = await post(served.fake, { model: 'mimo-v2.5', messages: [{ role: 'user', content: 'Hi' }] }, headers)
      expect(a.status).toBe(401)
      expect(a.json()).toEqual({ error: { code: '401', message: 'Invalid API Key', param: '', type: 'invalid_key' } })
    }
    const bearer = await post(served.fake, { model: 'mimo-v2.5', messages: [{ role: 'user', content: 'Hi' }] }, { 'api-key': '', authorization: 'Bearer test-key' })
    expect(bearer.status).toBe(200)
  })

  it('checks the content type and the JSON', async () => {
    const wrongType = await post(served.fake, { model: 'mimo-v2.5', messages: [{ role: 'user', content: 'Hi' }] }, { 'content-type': 'text/plain' })
    expect(wrongType.status).toBe(400)
    expect(errorOf(wrongType)).toEqual({ code: '400', message: 'Param Incorrect', param: 'Content-Type must be application/json', type: '' })
    const badJson = await post(served.fake, '{"model": "mimo-v2.5",')
    expect(badJson.status).toBe(400)
    expect(errorOf(badJson).param).toMatch(/not valid JSON/)
  })

  it('refuses unknown top-level fields', async () => {
    const a = await post(served.fake, { model: 'mimo-v2.5', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 10 })
    expect(a.status).toBe(400)
    expect(errorOf(a).param).toBe('Unrecognized request argument supplied: max_tokens')
  })

  it('refuses the retired V2 models with a clear param, and unknown models with 404', async () => {
    for (const model of ['mimo-v2-pro', 'mimo-v2-omni', 'mimo-v2-tts', 'mimo-v2-flash']) {
      const a = await post(served.fake, { model, messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello.' }] })
      expect(a.status).toBe(400)
      expect(errorOf(a).param).toMatch(new RegExp(`${model} was retired on 2026-06-30`))
    }
    const unknown = await post(served.fake, { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] })
    expect(unknown.status).toBe(404)
  })

  it('answers 404 on other paths', async () => {
    const res = await fetch(`${served.fake.url}/models`, { headers: { 'api-key': 'test-key' } })
    expect(res.status).toBe(404)
  })

  it('accepts audio in every container the service takes, on mimo-v2.5', async () => {
    const files: Array<[string, Buffer]> = [
      ['audio/wav', wav], ['audio/mpeg', soxConvert(wav, 'mp3')], ['audio/flac', soxConvert(wav, 'flac')],
      ['audio/ogg', soxConvert(wav, 'ogg')], ['audio/mp4', m4aHead()]
    ]
    for (const [mime, bytes] of files) {
      const a = await post(served.fake, { model: 'mimo-v2.5', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: uri(mime, bytes) } }, instruction] }] })
      expect(a.status, mime).toBe(200)
    }
  })

  it('decodes an MP3 and logs what it heard; one that does not decode is not audio', async () => {
    const mp3 = soxConvert(toneWav(2), 'mp3')
    const ok = await post(served.fake, { model: 'mimo-v2.5', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: uri('audio/mpeg', mp3) } }, instruction] }] })
    expect(ok.status).toBe(200)
    const heard = served.fake.requests[0].audio![0]
    expect(heard).toMatchObject({ container: 'mp3', bytes: mp3.length })
    expect(heard.seconds).toBeGreaterThanOrEqual(2)
    expect(heard.seconds).toBeLessThan(2.2)
    expect(served.fake.requests[0].bodyBytes).toBeGreaterThan(mp3.length)

    const broken = Buffer.concat([Buffer.from('ID3'), Buffer.from([3, 0, 0, 0, 0, 0, 0]), Buffer.alloc(2000, 0x55)])
    const refused = await post(served.fake, { model: 'mimo-v2.5', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: uri('audio/mpeg', broken) } }, instruction] }] })
    expect(refused.status).toBe(400)
    expect(errorOf(refused).param).toBe(INVALID_AUDIO)
  })

  it('refuses audio that is not audio, without the data URI prefix, alone, or to the wrong model', async () => {
    const notAudio = await post(served.fake, { model: 'mimo-v2.5', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: uri('audio/wav', Buffer.from('this is text')) } }, instruction] }] })
    expect(errorOf(notAudio).param).toBe(INVALID_AUDIO)
    expect(INVALID_AUDIO).toBe('invalid audio format, only mp3/flac/m4a/wav/ogg are supported')
    const plain = await post(served.fake, { model: 'mimo-v2.5', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: wav.toString('base64') } }, instruction] }] })
    expect(plain.status).toBe(400)
    expect(errorOf(plain).param).toMatch(/data URI/)
    const alone = await post(served.fake, { model: 'mimo-v2.5', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: uri('audio/wav', wav) } }] }] })
    expect(alone.status).toBe(400)
    expect(errorOf(alone).param).toMatch(/text part/)
    const pro = await post(served.fake, { model: 'mimo-v2.5-pro', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: uri('audio/wav', wav) } }, instruction] }] })
    expect(pro.status).toBe(400)
    expect(errorOf(pro).param).toMatch(/mimo-v2\.5-pro does not support input_audio/)
  })

  it('refuses input audio over 50 MB of base64', async () => {
    const huge = `data:audio/wav;base64,${wav.toString('base64').slice(0, 16)}${'A'.repeat(50 * 1024 * 1024)}`
    const a = await post(served.fake, { model: 'mimo-v2.5', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: huge } }, instruction] }] })
    expect(a.status).toBe(400)
    expect(errorOf(a).param).toMatch(/50MB/)
  })

  it('TTS rules: assistant message required, no voice for voice design, a sample for voice clone', async () => {
    const noAssistant = await post(served.fake, { model: 'mimo-v2.5-tts', messages: [{ role: 'user', content: 'Say hi' }] })
    expect(errorOf(noAssistant).param).toBe('messages must contain an assistant role for TTS model')
    const designVoice = await post(served.fake, { model: 'mimo-v2.5-tts-voicedesign', audio: { voice: 'Mia' }, messages: [{ role: 'user', content: 'Deep.' }, { role: 'assistant', content: 'Hi' }] })
    expect(errorOf(designVoice).param).toBe('audio.voice is not supported for voice design model')
    const designPreview = await post(served.fake, { model: 'mimo-v2.5-tts-voicedesign', audio: { optimize_text_preview: true }, messages: [{ role: 'user', content: 'Deep.' }] })
    expect(designPreview.status).toBe(200)
    const cloneNoVoice = await post(served.fake, { model: 'mimo-v2.5-tts-voiceclone', messages: [{ role: 'assistant', content: 'Hi' }] })
    expect(errorOf(cloneNoVoice).param).toMatch(/audio.voice is required/)
    const cloneOk = await post(served.fake, { model: 'mimo-v2.5-tts-voiceclone', audio: { voice: uri('audio/wav', wav) }, messages: [{ role: 'assistant', content: 'Hi' }] })
    expect(cloneOk.status).toBe(200)
    const thinking = await post(served.fake, { model: 'mimo-v2.5-tts', thinking: { type: 'disabled' }, messages: [{ role: 'assistant', content: 'Hi' }] })
    expect(errorOf(thinking).param).toBe('thinking is not supported for TTS model')
  })

  it('non-streamed wav is a whole RIFF file at 24 kHz mono 16-bit', async () => {
    const c = (await post(served.fake, { model: 'mimo-v2.5-tts', messages: [{ role: 'assistant', content: 'Hello.' }], audio: { format: 'wav' } })).json() as {
      choices: Array<{ message: { audio: { data: string; id: string; expires_at: null; transcript: null } } }>
    }
    const audio = c.choices[0].message.audio
    expect(audio).toMatchObject({ id: expect.stringMatching(/^audio_/), expires_at: null, transcript: null })
    const bytes = Buffer.from(audio.data, 'base64')
    expect(bytes.toString('latin1', 0, 4)).toBe('RIFF')
    expect(bytes.readUInt16LE(22)).toBe(1)
    expect(bytes.readUInt32LE(24)).toBe(24000)
    expect(bytes.readUInt16LE(34)).toBe(16)
    expect(bytes.readUInt32LE(40)).toBe(bytes.length - 44)
  })

  it('streamed TTS is PCM16 whatever format is asked; only mimo-v2.5-tts streams in pieces', async () => {
    const audioChunks = async (model: string, audio: Record<string, unknown>, messages: unknown[]): Promise<number> => {
      const a = await post(served.fake, { model, stream: true, audio, messages })
      const events = a.events()
      expect(events.at(-1)).toBe('[DONE]')
      return events.slice(0, -1).map((e) => JSON.parse(e)).filter((c) => c.choices[0].delta.audio?.data).length
    }
    const text = [{ role: 'assistant', content: 'This sentence takes a couple of seconds to say out loud.' }]
    expect(await audioChunks('mimo-v2.5-tts', { format: 'wav', voice: 'Chloe' }, text)).toBeGreaterThan(5)
    expect(await audioChunks('mimo-v2.5-tts-voiceclone', { voice: uri('audio/wav', wav) }, text)).toBe(1)
    expect(await audioChunks('mimo-v2.5-tts-voicedesign', {}, [{ role: 'user', content: 'A child.' }, ...text])).toBe(1)
  })
})

describe('fake MiMo service: latency, faults and the request log', () => {
  const served = useFake({ latency: { firstTokenMs: 0 } })

  /** Arrival times (ms after sending) of each SSE event. */
  async function timedEvents(body: unknown): Promise<Array<{ at: number; data: string }>> {
    const started = Date.now()
    const res = await fetch(`${served.fake.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'api-key': 'test-key' },
      body: JSON.stringify(body)
    })
    const out: Array<{ at: number; data: string }> = []
    let buffer = ''
    for await (const part of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += Buffer.from(part).toString('utf8')
      let cut: number
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        out.push({ at: Date.now() - started, data: buffer.slice(6, cut) })
        buffer = buffer.slice(cut + 2)
      }
    }
    return out
  }

  it('waits firstTokenMs before the first piece and perTokenMs between pieces', async () => {
    served.fake.setLatency({ firstTokenMs: 300, perTokenMs: 20 })
    const events = await timedEvents({ model: 'mimo-v2.5', stream: true, thinking: { type: 'disabled' }, max_completion_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] })
    expect(events[0].at).toBeGreaterThanOrEqual(280)
    // Ten pieces, nine gaps of 20 ms after the first.
    expect(events[9].at - events[0].at).toBeGreaterThanOrEqual(170)
  })

  it('paces mimo-v2.5-tts by the real-time factor; voice clone arrives in one piece after synthesis', async () => {
    served.fake.setLatency({ ttsFirstByteMs: 200, ttsRealtimeFactor: 0.5 })
    const text = [{ role: 'assistant', content: 'This sentence takes a couple of seconds to say out loud, at least.' }]
    const streamed = await timedEvents({ model: 'mimo-v2.5-tts', stream: true, audio: { format: 'pcm16' }, messages: text })
    const audio = streamed.filter((e) => e.data.includes('"audio"'))
    const seconds = audio.reduce((sum, e) => sum + Buffer.from(JSON.parse(e.data).choices[0].delta.audio.data, 'base64').length, 0) / 2 / SAMPLE_RATE
    expect(audio[0].at).toBeGreaterThanOrEqual(190)
    // The pieces spread over about half the audio's duration (the first one is not delayed).
    expect(audio.at(-1)!.at - audio[0].at).toBeGreaterThanOrEqual((seconds - 0.2) * 500 * 0.9)

    const cloned = await timedEvents({ model: 'mimo-v2.5-tts-voiceclone', stream: true, audio: { voice: uri('audio/wav', wav) }, messages: text })
    const only = cloned.filter((e) => e.data.includes('"audio"'))
    expect(only).toHaveLength(1)
    expect(only[0].at).toBeGreaterThanOrEqual(200 + seconds * 500 * 0.9)
  })

  it('status faults answer in the service format, for exactly the number of requests asked', async () => {
    served.fake.injectFault({ kind: 'status', status: 429, retryAfterSec: 7 }, 2)
    const ask = { model: 'mimo-v2.5', messages: [{ role: 'user', content: 'Hi' }] }
    const first = await post(served.fake, ask)
    const second = await post(served.fake, ask)
    const third = await post(served.fake, ask)
    expect([first.status, second.status, third.status]).toEqual([429, 429, 200])
    expect(first.json()).toEqual({ error: { code: '429', message: 'Too many requests', param: '', type: 'limitation' } })
    expect(first.headers.get('retry-after')).toBe('7')
    expect(served.fake.requests.map((r) => r.fault)).toEqual(['status', 'status', undefined])

    served.fake.injectFault({ kind: 'status', status: 402 })
    served.fake.clearFaults()
    expect((await post(served.fake, ask)).status).toBe(200)
  })

  it('hang: no answer at all, and close() still ends at once', async () => {
    const own = await startFakeMimo()
    own.injectFault({ kind: 'hang' })
    const pending = fetch(`${own.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'api-key': 'test-key' },
      body: JSON.stringify({ model: 'mimo-v2.5', messages: [{ role: 'user', content: 'Hi' }] })
    }).catch((e: unknown) => e)
    await new Promise((r) => setTimeout(r, 200))
    expect(own.requests[0]).toMatchObject({ status: 0, completed: false, fault: 'hang' })
    const started = Date.now()
    await own.close()
    expect(Date.now() - started).toBeLessThan(1000)
    expect(await pending).toBeInstanceOf(Error)
  })

  it('logs each request: path, headers, parsed body, model, stream, status, connection', async () => {
    await post(served.fake, { model: 'mimo-v2.5', stream: true, thinking: { type: 'disabled' }, messages: [{ role: 'user', content: 'Logged?' }] }, { 'x-test': 'yes' })
    expect(served.fake.requests).toHaveLength(1)
    const r = served.fake.requests[0]
    expect(r).toMatchObject({ method: 'POST', path: '/v1/chat/completions', status: 200, model: 'mimo-v2.5', stream: true, completed: true, clientClosed: false })
    expect(r.headers['x-test']).toBe('yes')
    expect(r.body).toMatchObject({ messages: [{ role: 'user', content: 'Logged?' }] })
    expect(r.connection).toBeGreaterThan(0)
    expect(r.at).toBeLessThanOrEqual(Date.now())
  })
})

const speechAvailable = await speechToolsAvailable()
if (!speechAvailable) console.log('espeak-ng or sox is not installed: the fake speaks with a tone, and the espeak-ng test is skipped')

describe('fake MiMo speech', () => {
  it.skipIf(!speechAvailable)('speaks words with espeak-ng, resampled by sox to 24 kHz', async () => {
    const pcm = await synthesize('Testing one two three.', { key: 'builtin:Mia' })
    expect(pcm.equals(toneFor('Testing one two three.', { key: 'builtin:Mia' }))).toBe(false)
    // espeak-ng speaks at about 3 words a second; with the pauses around, between 1 and 4 s.
    expect(pcm.length / 2 / SAMPLE_RATE).toBeGreaterThan(1)
    expect(pcm.length / 2 / SAMPLE_RATE).toBeLessThan(4)
    expect(await synthesize('Testing one two three.', { key: 'builtin:Mia' })).toBe(pcm) // cached
  })

  it('the tone that stands in for speech lasts about as long as the words would', () => {
    const short = toneFor('Hi.', { key: 'builtin:Mia' })
    const long = toneFor('This is a much longer sentence with many more words in it.', { key: 'builtin:Mia' })
    expect(short.length / 2 / SAMPLE_RATE).toBeCloseTo(0.5, 1)
    expect(long.length).toBeGreaterThan(short.length * 4)
    expect(long.some((b) => b !== 0)).toBe(true)
  })

  it('style tags are not read out', () => {
    expect(stripStyleTags('(whispering) Good night. （开心）好的')).toBe('Good night. 好的')
  })
})
