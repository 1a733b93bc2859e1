// The voice service against the fake MiMo server over real HTTP, with the real client and a WAV-file sink.
import { mkdtempSync, readFileSync, rmSync, truncateSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, type Settings } from '../../../src/shared/settings'
import { decodeWav } from '../../../src/core/audio/wav'
import { WavFileSink, type PcmSink } from '../../../src/core/audio/player'
import { MimoClient } from '../../../src/core/mimo/client'
import { MimoError } from '../../../src/core/mimo/errors'
import {
  ConsentRequiredError,
  DraftNotFoundError,
  VoiceNotFoundError,
  VoiceSampleError
} from '../../../src/core/voices/errors'
import { JsonFileVoiceMetadataStore } from '../../../src/core/voices/voice-metadata-store'
import { createVoiceService, PREVIEW_TEXT, type VoiceService } from '../../../src/core/voices/voice-service'
import { VoiceStore } from '../../../src/core/voices/voice-store'
import type { VoiceInfo } from '../../../src/shared/voices'
import { startFakeMimo, type FakeMimo } from '../../fake-mimo/server'
import { makeSampleFiles, type SampleFiles } from './sample-files'

let files: SampleFiles
let fake: FakeMimo
let client: MimoClient
let dir: string
let sinks: string[]
let settings: Settings
let store: VoiceStore
let service: VoiceService

beforeAll(async () => {
  files = makeSampleFiles()
  fake = await startFakeMimo()
  client = new MimoClient({ baseUrl: fake.url, apiKey: 'test-key', retry: { maxAttempts: 1 } })
})
afterAll(async () => {
  await client.close()
  await fake.close()
  files.cleanup()
})
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mimo-voice-service-'))
  sinks = []
  settings = { ...DEFAULT_SETTINGS }
  fake.requests.length = 0
  fake.clearFaults()
  fake.setLatency({ firstTokenMs: 0, perTokenMs: 0, ttsFirstByteMs: 0, ttsRealtimeFactor: 0 })
  store = new VoiceStore({ dir, metadata: new JsonFileVoiceMetadataStore(join(dir, 'voices.json')) })
  service = makeService(store)
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function makeService(s: VoiceStore): VoiceService {
  return createVoiceService({
    store: s,
    client,
    settings: () => settings,
    createSink: async (): Promise<PcmSink> => {
      const path = join(dir, `played-${sinks.length}.wav`)
      sinks.push(path)
      return new WavFileSink(path)
    }
  })
}

/** Seconds of audio a sink received. */
function playedSec(path: string): number {
  const d = decodeWav(readFileSync(path))
  expect(d.sampleRate).toBe(24000)
  return d.frames / d.sampleRate
}

type TtsBody = { model: string; messages: { role: string; content: string }[]; audio: Record<string, unknown>; stream: boolean }
const body = (i = 0): TtsBody => fake.requests[i].body as TtsBody

describe('voice preview', () => {
  it('speaks the test sentence through a clone: the sample goes as a data URI in audio.voice to the voiceclone model', async () => {
    const { record } = await store.addClone(files.bytes('speech'), 'Alex', true)
    const result = await service.preview({ kind: 'clone', id: record.id })

    expect(fake.requests).toHaveLength(1)
    expect(fake.requests[0].status).toBe(200)
    const b = body()
    expect(b.model).toBe('mimo-v2.5-tts-voiceclone')
    expect(b.stream).toBe(true)
    expect(b.audio.format).toBe('pcm16')
    const saved = readFileSync(join(dir, `${record.id}.wav`))
    expect(b.audio.voice).toBe(`data:audio/wav;base64,${saved.toString('base64')}`)
    expect(b.messages.filter((m) => m.role === 'assistant').map((m) => m.content)).toEqual([PREVIEW_TEXT.en])
    expect(b.messages.some((m) => typeof m.content !== 'string' && JSON.stringify(m.content).includes('input_audio'))).toBe(false)

    expect(result.durationMs).toBeGreaterThan(1000)
    expect(playedSec(sinks[0]) * 1000).toBeCloseTo(result.durationMs, -1)
  })

  it('speaks a built-in voice with the settings model, and Chinese for a Chinese voice', async () => {
    await service.preview({ kind: 'builtin', id: '冰糖' })
    expect(body().model).toBe('mimo-v2.5-tts')
    expect(body().audio.voice).toBe('冰糖')
    expect(body().messages.at(-1)).toEqual({ role: 'assistant', content: PREVIEW_TEXT.zh })
    settings = { ...settings, ttsModel: 'mimo-v2.5-tts-custom', speakingStyle: 'Cheerful and quick.' }
    await service.preview({ kind: 'builtin', id: 'Mia' }, 'Testing one two.').catch(() => undefined) // the fake knows no such model
    expect(body(1).model).toBe('mimo-v2.5-tts-custom')
    // The retired V2 model has other voices: the catalogue's voices preview on the current model.
    settings = { ...settings, ttsModel: 'mimo-v2-tts' }
    await service.preview({ kind: 'builtin', id: 'Mia' }, 'Testing one two.')
    expect(body(2).model).toBe('mimo-v2.5-tts')
    expect(body(2).messages).toEqual([
      { role: 'user', content: 'Cheerful and quick.' },
      { role: 'assistant', content: 'Testing one two.' }
    ])
  })

  it('designs a voice: voicedesign model, no audio.voice, the service writes the preview text', async () => {
    const description = 'A calm, low male voice with a slight British accent.'
    const result = await service.designPreview(description)
    const b = body()
    expect(b.model).toBe('mimo-v2.5-tts-voicedesign')
    expect('voice' in b.audio).toBe(false)
    expect(b.audio.optimize_text_preview).toBe(true)
    expect(b.messages).toEqual([{ role: 'user', content: description }])
    expect(result.text.length).toBeGreaterThan(10)
    expect(result.text).toContain('calm, low male voice') // the fake's final_text_preview names the description
    expect(result.durationMs).toBeGreaterThan(500)

    const withText = await service.designPreview(description, 'Good evening.')
    expect(body(1).messages).toEqual([
      { role: 'user', content: description },
      { role: 'assistant', content: 'Good evening.' }
    ])
    expect(body(1).audio.optimize_text_preview).toBeUndefined()
    expect(withText.text).toBe('Good evening.')

    const saved = await service.saveDesign('Narrator', description)
    await service.preview(saved.ref)
    expect(body(2).model).toBe('mimo-v2.5-tts-voicedesign')
    expect('voice' in body(2).audio).toBe(false)
    expect(body(2).messages).toEqual([
      { role: 'user', content: description },
      { role: 'assistant', content: PREVIEW_TEXT.en }
    ])
  })

  it('never sends a missing or damaged sample, and says so', async () => {
    const { record } = await store.addClone(files.bytes('speech'), 'Alex', true)
    rmSync(join(dir, `${record.id}.wav`))
    const err = await service.preview({ kind: 'clone', id: record.id }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(VoiceSampleError)
    expect((err as VoiceSampleError).toUserError()).toMatchObject({
      kind: 'audio',
      message: "The sample for 'Alex' is missing or damaged: record or import it again."
    })
    await expect(service.resolve({ kind: 'clone', id: record.id })).rejects.toBeInstanceOf(VoiceSampleError)
    expect((await service.list()).find((v) => v.ref.id === record.id)?.problem).toBe('The sample file is missing.')

    const cut = (await store.addClone(files.bytes('speech'), 'Cut', true)).record
    truncateSync(join(dir, `${cut.id}.wav`), 5000)
    const cutErr = await service.preview({ kind: 'clone', id: cut.id }).catch((e: unknown) => e)
    expect((cutErr as VoiceSampleError).toUserError().message).toBe("The sample for 'Cut' is missing or damaged: record or import it again.")
    expect(fake.requests).toEqual([])
    expect(sinks).toEqual([])
  })

  it('reports a service error and keeps nothing playing', async () => {
    fake.injectFault({ kind: 'status', status: 402 })
    const err = await service.preview({ kind: 'builtin', id: 'Mia' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(MimoError)
    expect((err as MimoError).status).toBe(402)
    expect(fake.requests).toHaveLength(1)
  })

  it('stops a preview that is still waiting for speech', async () => {
    fake.setLatency({ ttsFirstByteMs: 5000 })
    const started = Date.now()
    const pending = service.preview({ kind: 'builtin', id: 'Mia' })
    await new Promise((r) => setTimeout(r, 200))
    service.stopPreview()
    const result = await pending
    expect(result.stopped).toBe(true)
    expect(result.durationMs).toBe(0)
    expect(Date.now() - started).toBeLessThan(3000)
  })
})

describe('drafts: check, preview, save', () => {
  it('keeps a checked sample as a draft, previews it, and saves it only with consent', async () => {
    const changes: VoiceInfo[][] = []
    const off = service.on('change', (v) => changes.push(v))
    const { draftId, quality } = await service.checkSample(files.bytes('mp3'), 'me.mp3')
    expect(quality.inputFormat).toBe('mp3')
    expect(draftId).toEqual(expect.any(String))

    await service.previewDraft(draftId as string)
    expect(body().model).toBe('mimo-v2.5-tts-voiceclone')
    expect(String(body().audio.voice)).toMatch(/^data:audio\/wav;base64,UklGR/) // the MP3 was converted to WAV

    await expect(service.saveDraft(draftId as string, 'Me', false)).rejects.toBeInstanceOf(ConsentRequiredError)
    const info = await service.saveDraft(draftId as string, 'Me', true)
    expect(info).toMatchObject({ ref: { kind: 'clone' }, name: 'Me', durationSec: quality.durationSec })
    expect(changes).toHaveLength(1)
    expect(changes[0].map((v) => v.name)).toContain('Me')
    await expect(service.saveDraft(draftId as string, 'Again', true)).rejects.toBeInstanceOf(DraftNotFoundError)

    // A new service over the same folder (the app restarted) sends the same sample.
    const restarted = makeService(new VoiceStore({ dir, metadata: new JsonFileVoiceMetadataStore(join(dir, 'voices.json')) }))
    await restarted.preview(info.ref)
    expect(body(1).audio.voice).toBe(body().audio.voice)

    await service.rename(info.ref.id, 'Myself')
    expect((await restarted.list()).map((v) => v.name)).toContain('Myself')
    await service.remove(info.ref.id)
    expect((await restarted.list()).some((v) => v.ref.id === info.ref.id)).toBe(false)
    await expect(restarted.resolve(info.ref)).rejects.toBeInstanceOf(VoiceNotFoundError)
    expect(changes).toHaveLength(3)
    off()
  })

  it('refuses bad files without a draft and without any request', async () => {
    const text = Buffer.from('just some text, not audio\n'.repeat(40))
    for (const [bytes, name, reason] of [
      [text, 'notes.wav', /not a WAV or MP3 file \(it holds text\)/],
      [files.bytes('speech').subarray(0, 44), 'header.wav', /holds no audio/],
      [files.bytes('silence'), 'silence.wav', /No speech was heard/],
      [files.bytes('short'), 'short.wav', /at least 3 s/]
    ] as const) {
      const { draftId, quality } = await service.checkSample(bytes, name)
      expect(draftId).toBeNull()
      expect(quality.refusals.join(' ')).toMatch(reason)
    }
    expect(fake.requests).toEqual([])
  })

  it('replaces a saved sample with a new draft', async () => {
    const { record } = await store.addClone(files.bytes('speech'), 'Alex', true)
    const { draftId } = await service.checkSample(files.bytes('stereo48k'))
    const info = await service.replaceSampleWithDraft(record.id, draftId as string, true)
    expect(info.quality?.sampleRate).toBe(48000)
    expect(info.name).toBe('Alex')
    const voice = await service.resolve({ kind: 'clone', id: record.id })
    expect(voice.kind === 'clone' && decodeWav(voice.sample).sampleRate).toBe(48000)
  })

  it('lists the built-in voices first, then the saved ones', async () => {
    store.addDesign('Narrator', 'A calm voice.')
    const voices = await service.list()
    expect(voices.slice(0, 9).every((v) => v.ref.kind === 'builtin')).toBe(true)
    expect(voices.slice(9).map((v) => v.name)).toEqual(['Narrator'])
    expect(await service.resolve({ kind: 'builtin', id: 'Dean' })).toEqual({ kind: 'builtin', id: 'Dean' })
    expect(await service.resolve(voices[9].ref)).toEqual({ kind: 'design', description: 'A calm voice.' })
  })
})
