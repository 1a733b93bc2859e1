import { describe, expect, it } from 'vitest'
import {
  audioDataUri,
  DEFAULT_AUDIO_INSTRUCTION,
  sniffAudioContainer,
  ttsRequest,
  userAudioMessage
} from '../../../src/core/mimo/builders'
import { MimoValidationError } from '../../../src/core/mimo/errors'
import type { ChatRequest } from '../../../src/core/mimo/types'
import { wavFile } from '../../fake-mimo/speech'
import { m4aHead, soxConvert, toneWav } from './audio-samples'
import { chatEvents, useFakeMimoClient } from './client-fixture'

const wav = toneWav(1)
const mp3 = soxConvert(wav, 'mp3')
const flac = soxConvert(wav, 'flac')
const ogg = soxConvert(wav, 'ogg')

function validationError(fn: () => unknown): MimoValidationError {
  try {
    fn()
  } catch (err) {
    if (err instanceof MimoValidationError) return err
    throw err
  }
  throw new Error('expected a MimoValidationError')
}

describe('sniffAudioContainer', () => {
  it('recognises each container MiMo accepts from its first bytes', () => {
    expect(sniffAudioContainer(wav)).toBe('wav')
    expect(sniffAudioContainer(mp3)).toBe('mp3')
    expect(sniffAudioContainer(flac)).toBe('flac')
    expect(sniffAudioContainer(ogg)).toBe('ogg')
    expect(sniffAudioContainer(m4aHead())).toBe('m4a')
    expect(sniffAudioContainer(Buffer.concat([Buffer.from('ID3\x04\x00'), mp3]))).toBe('mp3')
  })

  it('refuses what is not audio: text, raw PCM, a truncated header, nothing', () => {
    expect(sniffAudioContainer(Buffer.from('hello world, not audio'))).toBeNull()
    expect(sniffAudioContainer(wav.subarray(44))).toBeNull()
    expect(sniffAudioContainer(wav.subarray(0, 6))).toBeNull()
    expect(sniffAudioContainer(new Uint8Array(0))).toBeNull()
    // An AAC (ADTS) frame header looks like MPEG sync but has layer bits 00.
    expect(sniffAudioContainer(Uint8Array.of(0xff, 0xf1, 0x50, 0x80, 0, 0))).toBeNull()
    // Raw PCM often starts with 0xFFFF (a sample of -1): sync bits, but no valid bit rate.
    expect(sniffAudioContainer(Buffer.alloc(4096, 0xff))).toBeNull()
    // A lone valid-looking frame header whose next frame is missing is not mp3 either.
    const fake = Buffer.alloc(4096)
    mp3.copy(fake, 0, 0, 4)
    expect(sniffAudioContainer(fake)).toBeNull()
  })
})

describe('audioDataUri', () => {
  it('labels the bytes by their container and keeps them intact', () => {
    const uri = audioDataUri(wav)
    expect(uri.startsWith('data:audio/wav;base64,')).toBe(true)
    expect(Buffer.from(uri.slice(uri.indexOf(',') + 1), 'base64').equals(wav)).toBe(true)
    expect(audioDataUri(mp3).startsWith('data:audio/mpeg;base64,')).toBe(true)
    expect(audioDataUri(flac).startsWith('data:audio/flac;base64,')).toBe(true)
    expect(audioDataUri(ogg).startsWith('data:audio/ogg;base64,')).toBe(true)
    expect(audioDataUri(m4aHead()).startsWith('data:audio/mp4;base64,')).toBe(true)
  })

  it('encodes a view into a larger buffer without the bytes around it', () => {
    const big = Buffer.concat([Buffer.from('junk'), wav, Buffer.from('tail')])
    const view = big.subarray(4, 4 + wav.length)
    expect(audioDataUri(view)).toBe(audioDataUri(wav))
  })

  it('throws MimoValidationError for bytes that are not audio', () => {
    expect(validationError(() => audioDataUri(Buffer.from('not audio at all'))).field).toBe('input_audio.data')
  })
})

describe('userAudioMessage', () => {
  it('puts the audio first and always adds the text part the service requires', () => {
    const m = userAudioMessage(wav)
    expect(m.role).toBe('user')
    expect(m.content).toEqual([
      { type: 'input_audio', input_audio: { data: audioDataUri(wav) } },
      { type: 'text', text: DEFAULT_AUDIO_INSTRUCTION }
    ])
    expect((userAudioMessage(wav, '  Transcribe it.  ').content as Array<{ text?: string }>)[1].text).toBe('Transcribe it.')
    expect((userAudioMessage(wav, '   ').content as Array<{ text?: string }>)[1].text).toBe(DEFAULT_AUDIO_INSTRUCTION)
  })
})

describe('ttsRequest', () => {
  it('built-in voice: text as the assistant message, style as the user message, PCM16 stream', () => {
    expect(ttsRequest({ text: 'Hello there.', voice: { kind: 'builtin', id: 'Mia' }, style: 'Cheerful.' })).toEqual({
      model: 'mimo-v2.5-tts',
      messages: [
        { role: 'user', content: 'Cheerful.' },
        { role: 'assistant', content: 'Hello there.' }
      ],
      audio: { format: 'pcm16', voice: 'Mia' },
      stream: true
    })
  })

  it('non-streamed speech defaults to wav; a model and format can be chosen', () => {
    expect(ttsRequest({ text: 'Hi.', voice: { kind: 'builtin', id: 'mimo_default' }, stream: false }).audio).toEqual({ format: 'wav', voice: 'mimo_default' })
    const r = ttsRequest({ text: 'Hi.', voice: { kind: 'builtin', id: 'Dean' }, stream: false, format: 'mp3', model: 'mimo-v2.5-tts' })
    expect(r.audio?.format).toBe('mp3')
    expect(r.stream).toBe(false)
  })

  it('clone voice: the sample as a wav or mpeg data URI in audio.voice, never as input_audio', () => {
    const r = ttsRequest({ text: 'In my own voice.', voice: { kind: 'clone', sample: wav } })
    expect(r.model).toBe('mimo-v2.5-tts-voiceclone')
    expect(r.audio?.voice).toBe(`data:audio/wav;base64,${wav.toString('base64')}`)
    expect(JSON.stringify(r.messages)).not.toContain('input_audio')
    expect(ttsRequest({ text: 'Hi.', voice: { kind: 'clone', sample: mp3 } }).audio?.voice?.startsWith('data:audio/mpeg;base64,')).toBe(true)
  })

  it('clone voice: refuses samples that are not wav or mp3, or too large', () => {
    expect(validationError(() => ttsRequest({ text: 'Hi.', voice: { kind: 'clone', sample: flac } })).field).toBe('audio.voice')
    expect(validationError(() => ttsRequest({ text: 'Hi.', voice: { kind: 'clone', sample: Buffer.from('nope') } })).field).toBe('audio.voice')
    // 8 MB of PCM (250 s at 16 kHz) is over 10 MB once in base64.
    const tooLong = validationError(() => ttsRequest({ text: 'Hi.', voice: { kind: 'clone', sample: wavFile(Buffer.alloc(8_000_000), 16000) } }))
    expect(tooLong.field).toBe('audio.voice')
    expect(tooLong.message).toMatch(/10 MB/)
  })

  it('design voice: the description is the user message and no audio.voice is sent', () => {
    const r = ttsRequest({ text: 'Welcome.', voice: { kind: 'design', description: 'A warm, low voice.' }, style: 'Slowly.' })
    expect(r.model).toBe('mimo-v2.5-tts-voicedesign')
    expect(r.messages).toEqual([
      { role: 'user', content: 'A warm, low voice.\nSlowly.' },
      { role: 'assistant', content: 'Welcome.' }
    ])
    expect(r.audio).toEqual({ format: 'pcm16' })
  })

  it('design voice with optimizeTextPreview may leave the text to the service', () => {
    const r = ttsRequest({ voice: { kind: 'design', description: 'A bright young voice.' }, optimizeTextPreview: true })
    expect(r.messages).toEqual([{ role: 'user', content: 'A bright young voice.' }])
    expect(r.audio).toEqual({ format: 'pcm16', optimize_text_preview: true })
  })

  it('refuses an empty text and an empty description', () => {
    expect(validationError(() => ttsRequest({ text: '   ', voice: { kind: 'builtin', id: 'Mia' } })).field).toBe('text')
    expect(validationError(() => ttsRequest({ voice: { kind: 'builtin', id: 'Mia' }, optimizeTextPreview: true })).field).toBe('text')
    expect(validationError(() => ttsRequest({ text: 'Hi', voice: { kind: 'design', description: ' ' } })).field).toBe('messages')
  })
})

describe('every request the builders make is accepted by the fake service', () => {
  const mimo = useFakeMimoClient()

  const built: Array<[string, () => ChatRequest]> = [
    ['spoken question (wav)', () => ({ model: 'mimo-v2.5', messages: [userAudioMessage(wav)], thinking: { type: 'disabled' } })],
    ['spoken question (mp3)', () => ({ model: 'mimo-v2.5', messages: [userAudioMessage(mp3)], thinking: { type: 'disabled' } })],
    ['spoken question (flac)', () => ({ model: 'mimo-v2.5', messages: [userAudioMessage(flac)], thinking: { type: 'disabled' } })],
    ['spoken question (ogg)', () => ({ model: 'mimo-v2.5', messages: [userAudioMessage(ogg)], thinking: { type: 'disabled' } })],
    ['spoken question (m4a)', () => ({ model: 'mimo-v2.5', messages: [userAudioMessage(m4aHead())], thinking: { type: 'disabled' } })],
    ['built-in voice with style', () => ttsRequest({ text: 'Good morning.', voice: { kind: 'builtin', id: '冰糖' }, style: 'Gently.' })],
    ['cloned voice (wav sample)', () => ttsRequest({ text: 'Good morning.', voice: { kind: 'clone', sample: wav } })],
    ['cloned voice (mp3 sample)', () => ttsRequest({ text: 'Good morning.', voice: { kind: 'clone', sample: mp3 } })],
    ['designed voice', () => ttsRequest({ text: 'Good morning.', voice: { kind: 'design', description: 'A calm narrator.' } })],
    ['designed voice, text from the service', () => ttsRequest({ voice: { kind: 'design', description: 'A calm narrator.' }, optimizeTextPreview: true })]
  ]

  for (const [name, make] of built) {
    it(name, async () => {
      mimo.fake.clearRequests()
      const request = make()
      const events = await chatEvents(mimo.client, request)
      expect(mimo.fake.requests).toHaveLength(1)
      expect(mimo.fake.requests[0]).toMatchObject({ status: 200, completed: true, model: request.model, stream: true })
      expect(events.at(-2)).toEqual({ type: 'finish', reason: 'stop' })
      const kinds = new Set(events.map((e) => e.type))
      expect(kinds.has(request.model.includes('-tts') ? 'audio' : 'text')).toBe(true)
    })
  }
})
