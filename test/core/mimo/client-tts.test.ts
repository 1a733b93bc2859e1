import { beforeEach, describe, expect, it } from 'vitest'
import { sniffAudioContainer, ttsRequest, type TtsVoice } from '../../../src/core/mimo/builders'
import { completionAudio } from '../../../src/core/mimo/chat-events'
import type { ChatEvent } from '../../../src/core/mimo/types'
import { toneWav } from './audio-samples'
import { chatEvents, useFakeMimoClient } from './client-fixture'

const SENTENCE = 'The quick brown fox jumps over the lazy dog, twice in a row.'

/** The data chunk of a RIFF/WAVE file, and its format. */
function readWav(bytes: Buffer): { sampleRate: number; channels: number; bits: number; pcm: Buffer } {
  expect(bytes.toString('latin1', 0, 4)).toBe('RIFF')
  expect(bytes.toString('latin1', 8, 12)).toBe('WAVE')
  let at = 12
  let fmt = { sampleRate: 0, channels: 0, bits: 0 }
  while (at + 8 <= bytes.length) {
    const id = bytes.toString('latin1', at, at + 4)
    const size = bytes.readUInt32LE(at + 4)
    if (id === 'fmt ') fmt = { channels: bytes.readUInt16LE(at + 10), sampleRate: bytes.readUInt32LE(at + 12), bits: bytes.readUInt16LE(at + 22) }
    if (id === 'data') return { ...fmt, pcm: bytes.subarray(at + 8, at + 8 + size) }
    at += 8 + size + (size % 2)
  }
  throw new Error('no data chunk')
}

describe('speech (TTS) through the client', () => {
  const mimo = useFakeMimoClient()
  beforeEach(() => {
    // Speech as fast as the fake can make it, not paced like the real service.
    mimo.fake.setLatency({ ttsFirstByteMs: 0, ttsRealtimeFactor: 0 })
  })

  async function speak(voice: TtsVoice, extra: { optimizeTextPreview?: boolean; text?: string } = {}): Promise<ChatEvent[]> {
    return chatEvents(mimo.client, ttsRequest({ text: extra.text ?? SENTENCE, voice, optimizeTextPreview: extra.optimizeTextPreview }))
  }
  const audioOf = (events: ChatEvent[]): Buffer[] => events.filter((e) => e.type === 'audio').map((e) => (e as { data: Buffer }).data)

  it('mimo-v2.5-tts streams PCM16 in 200 ms pieces; the stream equals the non-streamed wav', async () => {
    const events = await speak({ kind: 'builtin', id: 'Mia' })
    const pieces = audioOf(events)
    expect(pieces.length).toBeGreaterThan(5)
    for (const p of pieces.slice(0, -1)) expect(p.length).toBe(9600) // 0.2 s * 24000 Hz * 2 bytes
    expect(events.slice(-2).map((e) => e.type)).toEqual(['finish', 'usage'])

    const whole = await mimo.client.complete(ttsRequest({ text: SENTENCE, voice: { kind: 'builtin', id: 'Mia' }, stream: false }))
    const wav = readWav(completionAudio(whole)!)
    expect(wav).toMatchObject({ sampleRate: 24000, channels: 1, bits: 16 })
    expect(Buffer.concat(pieces).equals(wav.pcm)).toBe(true)
  })

  it('the speech is real: seconds of sound, not silence', async () => {
    const pcm = Buffer.concat(audioOf(await speak({ kind: 'builtin', id: 'Dean' })))
    const seconds = pcm.length / 2 / 24000
    expect(seconds).toBeGreaterThan(1.5)
    expect(seconds).toBeLessThan(12)
    let sum = 0
    for (let i = 0; i < pcm.length; i += 2) sum += pcm.readInt16LE(i) ** 2
    const rmsDbfs = 20 * Math.log10(Math.sqrt(sum / (pcm.length / 2)) / 32768)
    expect(rmsDbfs).toBeGreaterThan(-40)
  })

  it('voice clone and voice design send the whole audio in one piece at the end', async () => {
    const clone = audioOf(await speak({ kind: 'clone', sample: toneWav(1) }))
    const design = audioOf(await speak({ kind: 'design', description: 'A calm, low voice.' }))
    expect(clone).toHaveLength(1)
    expect(design).toHaveLength(1)
    expect(clone[0].length).toBeGreaterThan(24000 * 2)
    expect(mimo.fake.requests.map((r) => r.model)).toEqual(['mimo-v2.5-tts-voiceclone', 'mimo-v2.5-tts-voicedesign'])
  })

  it('voices sound different from each other', async () => {
    const a = Buffer.concat(audioOf(await speak({ kind: 'builtin', id: 'Mia' }, { text: 'Hello.' })))
    const b = Buffer.concat(audioOf(await speak({ kind: 'builtin', id: 'Dean' }, { text: 'Hello.' })))
    expect(a.equals(b)).toBe(false)
  })

  it('optimize_text_preview: the polished text arrives as a text-preview event before the audio', async () => {
    const events = await speak({ kind: 'design', description: 'A bright voice.' }, { optimizeTextPreview: true, text: '  welcome   home ' })
    expect(events[0]).toEqual({ type: 'text-preview', text: 'Welcome home.' })
    expect(events[1].type).toBe('audio')
    const generated = await speak({ kind: 'design', description: 'A bright voice.' }, { optimizeTextPreview: true, text: '' })
    expect(generated[0]).toMatchObject({ type: 'text-preview', text: expect.stringMatching(/A bright voice/) })
  })

  it('non-streamed pcm16 and mp3 come in the asked format', async () => {
    const pcm = completionAudio(await mimo.client.complete(ttsRequest({ text: 'Hi there.', voice: { kind: 'builtin', id: 'Mia' }, stream: false, format: 'pcm16' })))!
    expect(sniffAudioContainer(pcm)).toBeNull()
    expect(pcm.length % 2).toBe(0)
    const mp3 = completionAudio(await mimo.client.complete(ttsRequest({ text: 'Hi there.', voice: { kind: 'builtin', id: 'Mia' }, stream: false, format: 'mp3' })))!
    expect(sniffAudioContainer(mp3)).toBe('mp3')
  })

  it('non-streamed voice design returns final_text_preview', async () => {
    const c = await mimo.client.complete(ttsRequest({ voice: { kind: 'design', description: 'A warm voice.' }, stream: false, optimizeTextPreview: true, text: 'good night' }))
    expect(c.choices[0].message.final_text_preview).toBe('Good night.')
    expect(readWav(completionAudio(c)!).sampleRate).toBe(24000)
  })

  it('style tags in the text direct the voice and are not spoken', async () => {
    const tagged = Buffer.concat(audioOf(await speak({ kind: 'builtin', id: 'Milo' }, { text: '(whispering) Good night.' })))
    const plain = Buffer.concat(audioOf(await speak({ kind: 'builtin', id: 'Milo' }, { text: 'Good night.' })))
    expect(tagged.equals(plain)).toBe(true)
  })
})
