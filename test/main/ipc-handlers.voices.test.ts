// The voices channels end to end on the main side: the contract's schemas (dispatchInvoke), the real
// handlers, the real voice service and store over real files, the real MiMo client against the fake MiMo
// server over HTTP, and real espeak-ng speech. Only the microphone is a port here (a hand-written one that
// hands over real speech); the browser test records through PulseAudio.
import { execFileSync } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { LevelReading } from '../../src/shared/assistant'
import type { Result } from '../../src/shared/errors'
import type { SampleRecordingStopped } from '../../src/shared/ipc'
import { DEFAULT_VOICE, MAX_SAMPLE_IMPORT_BYTES, type SampleCheckResult, type VoiceInfo } from '../../src/shared/voices'
import { AudioDeviceError } from '../../src/core/audio/errors'
import { WavFileSink, type PcmSink } from '../../src/core/audio/player'
import type { Recording, StartOptions } from '../../src/core/audio/recorder'
import { decodeWav } from '../../src/core/audio/wav'
import { MimoClient } from '../../src/core/mimo/client'
import { Microphone } from '../../src/core/audio/microphone'
import { createSampleRecorder } from '../../src/core/voices/sample-recorder'
import { JsonFileVoiceMetadataStore } from '../../src/core/voices/voice-metadata-store'
import { createVoiceService } from '../../src/core/voices/voice-service'
import { VoiceStore } from '../../src/core/voices/voice-store'
import { dispatchInvoke } from '../../src/main/ipc-dispatch'
import { createHandlers } from '../../src/main/ipc-handlers'
import type { Handlers } from '../../src/shared/ipc'
import { startFakeMimo, type FakeMimo } from '../fake-mimo/server'
import { makeSampleFiles, type SampleFiles } from '../core/voices/sample-files'
import { FakeAssistant, FakeConversations, FakeDoctor, FakeKey, FakeSettings } from './electron/fake-services'
import { runVoicesCommand } from '../../src/cli/voices-command'

/** A microphone that "hears" the PCM a test gives it: the session API of the real Recorder. */
class SpeechMicrophone {
  starts: StartOptions[] = []
  sessions: SpeechSession[] = []
  pcm: Int16Array<ArrayBufferLike> = new Int16Array(0)
  missing: Error | null = null
  async findRecorder() {
    if (this.missing) throw this.missing
    return { program: 'sox', path: '/usr/bin/sox' }
  }
  start(o: StartOptions = {}) {
    this.starts.push(o)
    const session = new SpeechSession(this.pcm)
    this.sessions.push(session)
    return session
  }
}

class SpeechSession extends EventEmitter {
  cancelled = false
  failure: Error | null = null
  constructor(private readonly pcm: Int16Array<ArrayBufferLike>) {
    super()
  }
  async stop(): Promise<Recording> {
    if (this.failure) throw this.failure
    return { pcm: this.cancelled ? new Int16Array(0) : this.pcm, sampleRate: 16000, durationMs: (this.pcm.length / 16000) * 1000, heardSpeech: true }
  }
  cancel() {
    this.cancelled = true
  }
}

let files: SampleFiles
let fake: FakeMimo
let client: MimoClient
let speech16k: Int16Array<ArrayBufferLike>
let dir: string
let settings: FakeSettings
let microphone: SpeechMicrophone
let handlers: Handlers
let levels: LevelReading[]
let stops: SampleRecordingStopped[]
let changes: VoiceInfo[][]

beforeAll(async () => {
  files = makeSampleFiles()
  fake = await startFakeMimo()
  client = new MimoClient({ baseUrl: fake.url, apiKey: 'test-key', retry: { maxAttempts: 1 } })
  const raw = join(files.dir, 'speech16k.raw')
  execFileSync('sox', [files.path('speech'), '-r', '16000', '-c', '1', '-e', 'signed', '-b', '16', '-t', 'raw', raw])
  const buf = readFileSync(raw)
  speech16k = new Int16Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length))
})
afterAll(async () => {
  await client.close()
  await fake.close()
  files.cleanup()
})
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mimo-voice-handlers-'))
  fake.requests.length = 0
  settings = new FakeSettings()
  microphone = new SpeechMicrophone()
  microphone.pcm = speech16k
  const store = new VoiceStore({ dir, metadata: new JsonFileVoiceMetadataStore(join(dir, 'voices.json')) })
  let sinks = 0
  const service = createVoiceService({
    store,
    client,
    settings: () => settings.get(),
    createSink: async (): Promise<PcmSink> => new WavFileSink(join(dir, `played-${sinks++}.wav`))
  })
  const samples = createSampleRecorder({ recorder: () => microphone, check: (wav) => service.checkSample(wav), microphone: new Microphone() })
  levels = []
  stops = []
  changes = []
  samples.on('level', (r) => levels.push(r))
  samples.on('stopped', (s) => stops.push(s))
  service.on('change', (v) => changes.push(v))
  handlers = createHandlers({
    conversations: new FakeConversations(),
    assistant: new FakeAssistant(),
    doctor: new FakeDoctor(),
    key: new FakeKey(),
    settings,
    voices: { ...service, samples },
    pageReady: () => {},
    appInfo: () => ({ version: '0.1.0', platform: 'linux', hotkey: { accelerator: 'Ctrl+Alt+Space', requestedMode: 'hybrid', activeMode: 'hybrid' } })
  })
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** One call as the window makes it: validated by the contract, errors as values. */
async function call(channel: string, payload?: unknown): Promise<Result<unknown>> {
  return dispatchInvoke(handlers, channel, payload)
}
async function value<T>(channel: string, payload?: unknown): Promise<T> {
  const r = await call(channel, payload)
  if (!r.ok) throw new Error(`${channel} failed: ${r.error.message}`)
  return r.value as T
}
function failure(r: Result<unknown>): string {
  expect(r.ok).toBe(false)
  return r.ok ? '' : r.error.message
}
/** Sample files in the voices folder (the previews' WAV sinks are not samples). */
const savedFiles = () => readdirSync(dir).filter((f) => f.endsWith('.wav') && !f.startsWith('played-'))

async function importSpeech(): Promise<SampleCheckResult> {
  return value<SampleCheckResult>('samples:import', { fileName: 'me.wav', bytes: new Uint8Array(files.bytes('speech')) })
}

describe('importing a sample', () => {
  it('a text file renamed .wav is refused with a clear message, and nothing reaches the service', async () => {
    const r = await value<SampleCheckResult>('samples:import', { fileName: 'notes.wav', bytes: new TextEncoder().encode('Shopping list:\n- milk\n- eggs\n'.repeat(20)) })
    expect(r.draftId).toBeNull()
    expect(r.quality.refusals).toHaveLength(1)
    expect(r.quality.refusals[0]).toMatch(/'notes\.wav' is not a WAV or MP3 file \(it holds text\)/)
    expect(r.quality.unavailable).toContain('durationSec')
    expect(fake.requests).toEqual([])
    // And it cannot be saved: there is no draft to save.
    expect(savedFiles()).toEqual([])
  })

  it('an espeak-ng WAV comes back with its figures and a draft; still nothing is sent', async () => {
    const r = await importSpeech()
    expect(r.draftId).toMatch(/^[\w-]+$/)
    const q = r.quality
    expect(q.refusals).toEqual([])
    expect(q.durationSec).toBeGreaterThan(6)
    expect(q.durationSec).toBeLessThan(14)
    expect(q.channelsIn).toBe(1)
    expect(q.inputFormat).toBe('wav')
    expect(q.sampleRate).toBe(22050)
    expect(q.rmsDbfs).toBeGreaterThan(-30)
    expect(q.rmsDbfs).toBeLessThan(-10)
    expect(q.clippingShare).toBeLessThan(0.001)
    expect(q.base64Bytes).toBeGreaterThan(q.durationSec * 22050 * 2 * (4 / 3))
    expect(fake.requests).toEqual([])
  })

  it('refuses, before any service runs, what is not bytes, an empty file and a file over 60 MB', async () => {
    expect(failure(await call('samples:import', { fileName: 'me.wav', bytes: 'UklGRg==' }))).toMatch(/^bytes: expected the file as bytes/)
    expect(failure(await call('samples:import', { fileName: 'me.wav', bytes: new Uint8Array(0) }))).toMatch(/^bytes: The file is empty/)
    const big = new Uint8Array(MAX_SAMPLE_IMPORT_BYTES + 1)
    expect(failure(await call('samples:import', { fileName: 'big.wav', bytes: big }))).toMatch(/^bytes: The file is larger than 60 MB/)
    expect(failure(await call('samples:import', { bytes: new Uint8Array(files.bytes('speech')) }))).toMatch(/^fileName: /)
    expect(fake.requests).toEqual([])
  })
})

describe('saving a clone', () => {
  it('requires consent: false, missing or anything but true is refused and saves nothing', async () => {
    const { draftId } = await importSpeech()
    for (const consent of [false, undefined, 'yes', 1]) {
      const message = failure(await call('samples:save', { draftId, name: 'Me', consent }))
      expect(message).toMatch(/^consent: Confirm that this is your voice, or that you have the speaker's permission/)
    }
    expect(savedFiles()).toEqual([])
    expect((await value<VoiceInfo[]>('voices:list')).filter((v) => v.ref.kind === 'clone')).toEqual([])
    // With consent the very same draft saves.
    const saved = await value<VoiceInfo>('samples:save', { draftId, name: '  Me  ', consent: true })
    expect(saved).toMatchObject({ ref: { kind: 'clone' }, name: 'Me' })
    expect(savedFiles()).toEqual([`${saved.ref.id}.wav`])
    const wav = decodeWav(readFileSync(join(dir, `${saved.ref.id}.wav`)))
    expect(wav.channels).toBe(1)
    expect(changes.at(-1)?.map((v) => v.name)).toContain('Me')
    // The draft is used up.
    expect(failure(await call('samples:save', { draftId, name: 'Me again', consent: true }))).toMatch(/no longer waiting to be saved/)
  })

  it('refuses a name that is empty or taken, and keeps the draft for a second try', async () => {
    const first = await importSpeech()
    await value('samples:save', { draftId: first.draftId, name: 'Me', consent: true })
    const second = await importSpeech()
    expect(failure(await call('samples:save', { draftId: second.draftId, name: '   ', consent: true }))).toMatch(/^name: Give the voice a name/)
    expect(failure(await call('samples:save', { draftId: second.draftId, name: 'me', consent: true }))).toMatch(/already a voice named 'Me'/)
    expect(failure(await call('samples:save', { draftId: second.draftId, name: 'Mia', consent: true }))).toMatch(/built-in voice/)
    expect(await value<VoiceInfo>('samples:save', { draftId: second.draftId, name: 'Me, later', consent: true })).toMatchObject({ name: 'Me, later' })
  })

  it('previews a draft with the voiceclone model and the sample as a WAV data URI', async () => {
    const { draftId } = await importSpeech()
    const played = await value<{ durationMs: number }>('samples:preview-draft', { draftId })
    expect(played.durationMs).toBeGreaterThan(500)
    expect(fake.requests).toHaveLength(1)
    const body = fake.requests[0].body as { model: string; audio: { voice: string } }
    expect(body.model).toBe('mimo-v2.5-tts-voiceclone')
    expect(body.audio.voice).toMatch(/^data:audio\/wav;base64,UklGR/)
    expect(fake.requests[0].status).toBe(200)
  })

  it('a discarded draft can no longer be previewed or saved', async () => {
    const { draftId } = await importSpeech()
    expect(await value('samples:discard', { draftId })).toBeNull()
    expect(failure(await call('samples:preview-draft', { draftId }))).toMatch(/no longer waiting/)
    expect(fake.requests).toEqual([])
  })
})

describe('recording a sample in the main process', () => {
  it('records up to 35 s, forwards the level, and the stop gives the checked figures and a draft', async () => {
    expect(await value('samples:record-start')).toEqual({ maxDurationMs: 35_000 })
    expect(microphone.starts).toEqual([{ maxDurationMs: 35_000, stopOnSilenceMs: null }])
    const reading = { rmsDbfs: -22, peakDbfs: -6, speech: true, elapsedMs: 50 }
    microphone.sessions[0].emit('level', reading)
    expect(levels).toEqual([reading])
    const r = await value<SampleCheckResult>('samples:record-stop')
    expect(r.draftId).toMatch(/^[\w-]+$/)
    expect(r.quality.inputSampleRate).toBe(16000)
    expect(r.quality.durationSec).toBeGreaterThan(6)
    // Stopped: a second stop has nothing to give.
    expect(failure(await call('samples:record-stop'))).toBe('No sample is being recorded: press Record first.')
    const saved = await value<VoiceInfo>('samples:save', { draftId: r.draftId, name: 'Recorded me', consent: true })
    expect(savedFiles()).toEqual([`${saved.ref.id}.wav`])
    expect(fake.requests).toEqual([])
  })

  it('a recording of silence is refused with "no speech", without a draft', async () => {
    microphone.pcm = new Int16Array(16000 * 6)
    await value('samples:record-start')
    const r = await value<SampleCheckResult>('samples:record-stop')
    expect(r.draftId).toBeNull()
    expect(r.quality.refusals.join(' ')).toMatch(/No speech was heard/)
  })

  it('cancel drops the recording; a new start drops the one running', async () => {
    await value('samples:record-start')
    await value('samples:record-start')
    expect(microphone.sessions[0].cancelled).toBe(true)
    expect(await value('samples:record-cancel')).toBeNull()
    expect(microphone.sessions[1].cancelled).toBe(true)
    expect(failure(await call('samples:record-stop'))).toMatch(/No sample is being recorded/)
    // Levels of a dropped session are not forwarded.
    microphone.sessions[0].emit('level', { rmsDbfs: -20, peakDbfs: -5, speech: true, elapsedMs: 100 })
    expect(levels).toEqual([])
  })

  it('says when the recording stopped by itself, and when the recorder failed (stop then gives the error)', async () => {
    await value('samples:record-start')
    microphone.sessions[0].emit('autostop', 'max-length')
    expect(stops).toEqual([{ reason: 'max-length' }])
    expect((await value<SampleCheckResult>('samples:record-stop')).draftId).not.toBeNull()

    await value('samples:record-start')
    const err = new AudioDeviceError('The recorder (sox) stopped on its own (exit code 2); the microphone may have been disconnected.', 'failed', {})
    microphone.sessions[1].failure = err
    microphone.sessions[1].emit('error', err)
    expect(stops[1]).toMatchObject({ reason: 'error', error: { kind: 'audio', message: expect.stringMatching(/microphone may have been disconnected/) } })
    expect(failure(await call('samples:record-stop'))).toMatch(/microphone may have been disconnected/)
  })

  it('a missing recorder program is reported at Record, not at Stop', async () => {
    microphone.missing = Object.assign(new Error('no sox'), { toUserError: () => ({ kind: 'audio' as const, message: 'No recorder found: install sox.' }) })
    expect(failure(await call('samples:record-start'))).toBe('No recorder found: install sox.')
    expect(microphone.starts).toEqual([])
  })
})

describe('managing saved voices', () => {
  it('delete removes the sample file and, for the voice in use, falls back to the default voice', async () => {
    const { draftId } = await importSpeech()
    const saved = await value<VoiceInfo>('samples:save', { draftId, name: 'Me', consent: true })
    const other = await value<VoiceInfo>('voices:design-save', { name: 'Narrator', description: 'A slow, warm storyteller.' })
    await value('voices:select', saved.ref)
    expect(settings.get().voice).toEqual(saved.ref)
    const settingsChanges: unknown[] = []
    settings.on('change', (s) => settingsChanges.push(s.voice))

    const after = await value<{ settings: { voice: unknown } }>('voices:delete', { id: saved.ref.id })
    expect(existsSync(join(dir, `${saved.ref.id}.wav`))).toBe(false)
    expect(after.settings.voice).toEqual(DEFAULT_VOICE)
    expect(settings.get().voice).toEqual(DEFAULT_VOICE)
    // The tray and the window follow the settings' change event.
    expect(settingsChanges).toEqual([DEFAULT_VOICE])
    const list = await value<VoiceInfo[]>('voices:list')
    expect(list.map((v) => v.name)).not.toContain('Me')

    // Deleting a voice that is not in use leaves the choice alone.
    await value('voices:select', { kind: 'builtin', id: 'Mia' })
    await value('voices:delete', { id: other.ref.id })
    expect(settings.get().voice).toEqual({ kind: 'builtin', id: 'Mia' })
    expect(failure(await call('voices:delete', { id: other.ref.id }))).toMatch(/There is no saved voice/)
    expect(failure(await call('voices:delete', { id: '../voices.json' }))).toMatch(/^id: not a voice id/)
  })

  it('renames, and re-records a clone with consent (the new sample replaces the old file)', async () => {
    const first = await importSpeech()
    const saved = await value<VoiceInfo>('samples:save', { draftId: first.draftId, name: 'Me', consent: true })
    expect(await value<VoiceInfo>('voices:rename', { id: saved.ref.id, name: 'Myself' })).toMatchObject({ ref: saved.ref, name: 'Myself' })
    const before = readFileSync(join(dir, `${saved.ref.id}.wav`))

    await value('samples:record-start')
    const take = await value<SampleCheckResult>('samples:record-stop')
    expect(failure(await call('voices:replace-sample', { id: saved.ref.id, draftId: take.draftId, consent: false }))).toMatch(/^consent: /)
    const replaced = await value<VoiceInfo>('voices:replace-sample', { id: saved.ref.id, draftId: take.draftId, consent: true })
    expect(replaced).toMatchObject({ ref: saved.ref, name: 'Myself' })
    const after = readFileSync(join(dir, `${saved.ref.id}.wav`))
    expect(after.equals(before)).toBe(false)
    expect(decodeWav(after).sampleRate).toBe(16000)
  })

  it('designs a voice: the preview says what it spoke (the model wrote it), then it is saved', async () => {
    const description = 'A bright, cheerful young woman, speaking quickly.'
    const preview = await value<{ durationMs: number; text: string }>('voices:design-preview', { description })
    expect(preview.durationMs).toBeGreaterThan(300)
    expect(preview.text.length).toBeGreaterThan(0)
    const body = fake.requests[0].body as { model: string; audio: Record<string, unknown> }
    expect(body.model).toBe('mimo-v2.5-tts-voicedesign')
    expect(body.audio.optimize_text_preview).toBe(true)
    expect(body.audio.voice).toBeUndefined()
    const saved = await value<VoiceInfo>('voices:design-save', { name: 'Cheerful', description })
    expect(saved).toMatchObject({ ref: { kind: 'design' }, name: 'Cheerful', description })
    expect(failure(await call('voices:design-save', { name: 'Other', description: ' ' }))).toMatch(/^description: Describe the voice/)
  })

  it('stop-preview stops a preview that is playing', async () => {
    fake.setLatency({ ttsFirstByteMs: 0, ttsRealtimeFactor: 1 })
    try {
      const playing = call('voices:preview', { voice: { kind: 'builtin', id: 'Mia' }, text: 'A long sentence to keep the speaker busy for a few seconds at least.' })
      await new Promise((r) => setTimeout(r, 400))
      expect(await value('voices:stop-preview')).toBeNull()
      const r = await playing
      expect(r).toMatchObject({ ok: true, value: { stopped: true } })
    } finally {
      fake.setLatency({ ttsFirstByteMs: 0, ttsRealtimeFactor: 0 })
    }
  })
})

describe('one store for the window and the command', () => {
  /** `mimo-voice voices ...` over the same voices folder; returns the exit code and what it printed. */
  async function command(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = ''
    let err = ''
    const code = await runVoicesCommand(argv, { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) }, dir })
    return { code, out, err }
  }

  it('a voice added with `voices add` can be used in the window; one saved in the window is removed with `voices rm`', async () => {
    const added = await command('add', 'From the command', files.path('speech'), '--consent')
    expect(added.code).toBe(0)
    const listed = await value<VoiceInfo[]>('voices:list')
    const fromCommand = listed.find((v) => v.name === 'From the command')
    expect(fromCommand).toMatchObject({ ref: { kind: 'clone' } })
    expect(fromCommand?.problem).toBeUndefined()
    await value('voices:select', fromCommand!.ref)
    expect(settings.get().voice).toEqual(fromCommand!.ref)

    const { draftId } = await importSpeech()
    const fromWindow = await value<VoiceInfo>('samples:save', { draftId, name: 'From the window', consent: true })
    expect((await command('list', '--json')).out).toContain('From the window')
    expect((await command('rm', 'From the window')).code).toBe(0)
    expect(existsSync(join(dir, `${fromWindow.ref.id}.wav`))).toBe(false)
    expect((await value<VoiceInfo[]>('voices:list')).map((v) => v.name)).not.toContain('From the window')
  })
})
