// Dictation on the fake MiMo over HTTP, with a hand-fed microphone stream and a hand-written
// clipboard and keyboard (test/audio-stack/dictation-xvfb.test.ts does it with PulseAudio, X apps
// and the real clipboard tools).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { until } from '../../until'
import { startFakeMimo, type FakeMimo, type LoggedRequest } from '../../fake-mimo/server'
import { MimoClient } from '../../../src/core/mimo/client'
import { Microphone } from '../../../src/core/audio/microphone'
import { encodeWav } from '../../../src/core/audio/wav'
import { hearSpeech } from '../../fake-mimo/audio-check'
import { DictationService } from '../../../src/core/dictation/dictation'
import { ReadyMicrophone } from '../../../src/core/dictation/ready-microphone'
import { TextInserter } from '../../../src/core/dictation/text-inserter'
import { DEFAULT_SETTINGS, type Settings } from '../../../src/shared/settings'
import type { Dictation, DictationState } from '../../../src/shared/modes'
import { voicePcm } from '../assistant/fake-recorder'
import { FakeListeningRecorder, quiet } from '../modes/fake-listening'
import { FakeClipboard, FakeKeys, focused } from './fake-desktop'

const SAID = 'Send the quarterly report to Li Wei by Friday.'

let fake: FakeMimo
let client: MimoClient

beforeAll(async () => {
  fake = await startFakeMimo({ transcript: SAID, reply: 'THIS IS AN ANSWER, NOT A TRANSCRIPT' })
  client = new MimoClient({ baseUrl: fake.url, apiKey: 'test-key', retry: { maxAttempts: 1 } })
})
afterAll(async () => {
  await client.close()
  await fake.close()
})

const open: Array<{ dictation: DictationService; ready?: ReadyMicrophone }> = []
afterEach(() => {
  for (const o of open.splice(0)) {
    o.dictation.dispose()
    o.ready?.dispose()
  }
  fake.clearFaults()
  fake.clearRequests()
})

function rig(o: { settings?: Partial<Settings>; ready?: boolean; keys?: FakeKeys[]; inserter?: boolean } = {}) {
  const settings: Settings = { ...DEFAULT_SETTINGS, baseUrl: fake.url, ...o.settings }
  const microphone = new Microphone()
  const recorder = new FakeListeningRecorder()
  const clipboard = new FakeClipboard()
  clipboard.contents = { text: 'on the clipboard before' }
  const keys = o.keys ?? [new FakeKeys('xdotool')]
  const inserter =
    o.inserter === false
      ? undefined
      : new TextInserter({ clipboard, keySenders: () => keys, focusedWindow: focused('gedit Gedit'), pasteKey: () => settings.dictationPasteKey, platform: 'linux', restoreAfterMs: 10 })
  const ready = o.ready ? new ReadyMicrophone({ recorder, microphone, enabled: () => settings.dictationKeepMicOpen }) : undefined
  ready?.update()
  const kept: Dictation[] = []
  const dictation = new DictationService({ client, recorder, microphone, settings: () => settings, inserter, readyMicrophone: ready, keep: (d) => kept.push(d) })
  const done: Dictation[] = []
  const states: DictationState['phase'][] = []
  dictation.on('done', (d) => done.push(d))
  dictation.on('state', (s) => states.push(s.phase))
  open.push({ dictation, ready })
  /** Hold the key, say `pieces`, let go (the transcription is under way). */
  const say = (...pieces: Int16Array[]): void => {
    dictation.press()
    for (const p of pieces) recorder.last.feed(p)
    dictation.release()
  }
  /** Hold the key, say `pieces`, let go: the finished dictation. */
  const dictate = async (...pieces: Int16Array[]): Promise<Dictation> => {
    const before = done.length
    say(...pieces)
    await until(() => done.length > before, { what: 'the dictation' })
    return done[done.length - 1]
  }
  return { dictation, say, dictate, recorder, microphone, clipboard, keys, ready, kept, done, states, settings }
}

const dictationRequests = (): LoggedRequest[] => fake.requests.filter((r) => JSON.stringify(r.body).includes('Transcribe this dictation'))

/** The data URI of the audio a dictation request carried. */
function uploadedUri(r: LoggedRequest): string {
  const messages = (r.body as { messages: Array<{ content: Array<{ type: string; input_audio?: { data: string } }> }> }).messages
  return messages[0].content.find((p) => p.type === 'input_audio')!.input_audio!.data
}

/** The audio a dictation request carried, as samples (16 kHz, MP3 or WAV). */
async function uploaded(r: LoggedRequest): Promise<Float32Array> {
  return (await hearSpeech(Buffer.from(uploadedUri(r).split(',')[1], 'base64'))).samples
}

describe('dictation', () => {
  it('hold, speak, let go: the words are transcribed (not answered), pasted, the clipboard given back; nothing is spoken', async () => {
    const r = rig()
    expect(r.dictation.press().phase).toBe('recording')
    expect(r.microphone.holder).toBe('dictation')
    r.recorder.last.feed(quiet(200))
    r.recorder.last.feed(voicePcm(1200))
    r.recorder.last.feed(quiet(400))
    r.dictation.release()
    await until(() => r.done.length === 1, { what: 'the dictation' })
    const d = r.done[0]
    expect(d).toMatchObject({ text: SAID, insert: 'pasted', via: 'ctrl+v via xdotool' })
    expect(r.keys[0].sent).toEqual(['ctrl+v'])
    expect(r.clipboard.writes.map((w) => w.text)).toEqual([SAID])
    expect(d.timings.transcribed).toBeGreaterThanOrEqual(d.timings.recorded!)
    expect(d.timings.inserted).toBeGreaterThanOrEqual(d.timings.transcribed!)
    expect(r.states).toEqual(['recording', 'transcribing', 'inserting', 'idle'])
    expect(r.kept).toEqual([d])
    expect(r.microphone.holder).toBeUndefined()
    await until(() => r.clipboard.contents.text === 'on the clipboard before', { what: 'the clipboard back' })
    // One request: the transcript. No answer, no speech.
    expect(fake.requests).toHaveLength(1)
    expect(dictationRequests()).toHaveLength(1)
  })

  it('a WAV goes up with its silence trimmed, an MP3 whole (encoded while recording); no speech at all is said so and nothing is sent', async () => {
    const r = rig({ settings: { uploadFormat: 'lossless' } })
    await r.dictate(quiet(1500), voicePcm(1000), quiet(1500))
    const sentMs = ((await uploaded(dictationRequests()[0])).length / 16000) * 1000
    expect(sentMs).toBeGreaterThan(1000)
    expect(sentMs).toBeLessThan(1800)

    fake.clearRequests()
    r.settings.uploadFormat = 'compact'
    await r.dictate(quiet(1500), voicePcm(1000), quiet(1500))
    expect(r.done[1].text).toBe(SAID)
    const mp3Ms = ((await uploaded(dictationRequests()[0])).length / 16000) * 1000
    expect(mp3Ms).toBeGreaterThan(4000)
    expect(mp3Ms).toBeLessThan(4300)

    fake.clearRequests()
    await r.dictate(quiet(800))
    expect(r.done[2]).toMatchObject({ text: '', insert: 'none', notice: 'No speech heard.' })
    expect(fake.requests).toHaveLength(0)
    expect(r.kept).toHaveLength(2)
  })

  it('with the open microphone, a first word spoken with the key is kept whole (the audio from before the key is there)', async () => {
    // Lossless, so the first sample sent can be compared with the word's.
    const r = rig({ ready: true, settings: { uploadFormat: 'lossless' } })
    expect(r.ready!.running).toBe(true)
    const stream = r.recorder.last
    stream.feed(quiet(1000))
    // The word begins 100 ms before the key's press reaches the app (the hook and the first frame lag).
    const word = voicePcm(600)
    stream.feed(word.subarray(0, 1600))
    r.dictation.press()
    stream.feed(word.subarray(1600))
    stream.feed(quiet(400))
    r.dictation.release()
    await until(() => r.done.length === 1, { what: 'the dictation' })
    const sent = await uploaded(dictationRequests()[0])
    const firstSent = sent.findIndex((v) => v !== 0)
    // The whole word went up, from its first sample.
    const wordStart = word.findIndex((v) => v !== 0)
    expect(Math.round(sent[firstSent] * 32768)).toBe(word[wordStart])
    expect(sent.length).toBeGreaterThanOrEqual(word.length)
    // The open microphone is not claimed by anyone, and goes on.
    expect(r.recorder.open).toEqual([stream])
    expect(r.microphone.holder).toBeUndefined()
  })

  it('tap on, tap off (toggle); another press while transcribing starts a new dictation', async () => {
    const r = rig()
    fake.setLatency({ firstTokenMs: 300 })
    try {
      r.dictation.toggle()
      r.recorder.last.feed(voicePcm(800))
      r.recorder.last.feed(quiet(400))
      r.dictation.toggle()
      await until(() => r.dictation.state().phase === 'transcribing', { what: 'transcribing' })
      expect(r.dictation.press().phase).toBe('recording')
      r.recorder.last.feed(voicePcm(800))
      r.recorder.last.feed(quiet(400))
      r.dictation.release()
      await until(() => r.done.length === 2, { what: 'both dictations' })
      expect(r.done.every((d) => d.text === SAID)).toBe(true)
    } finally {
      fake.setLatency({ firstTokenMs: 0 })
    }
  })

  it('cancelled while transcribing: the request is abandoned and nothing is inserted', async () => {
    const r = rig()
    fake.setLatency({ firstTokenMs: 2000 })
    try {
      r.say(voicePcm(800), quiet(400))
      await until(() => dictationRequests().length === 1, { what: 'the transcription request' })
      r.dictation.cancel()
      await until(() => r.done.length === 1, { what: 'the dictation' })
      expect(r.done[0]).toMatchObject({ text: '', insert: 'none', notice: 'Dictation cancelled.' })
      expect(r.keys[0].sent).toEqual([])
      expect(r.clipboard.writes).toEqual([])
      expect(r.kept).toEqual([])
      expect(r.dictation.state().phase).toBe('idle')
      await until(() => dictationRequests()[0].clientClosed, { what: 'the request to be dropped' })
      expect(dictationRequests()[0].completed).toBe(false)
    } finally {
      fake.setLatency({ firstTokenMs: 0 })
    }
  })

  it('no way to paste: the text stays on the clipboard, with a notice', async () => {
    const r = rig({ keys: [new FakeKeys('xdotool', 'Can\'t open display')] })
    await r.dictate(voicePcm(800), quiet(400))
    expect(r.done[0].insert).toBe('clipboard')
    expect(r.done[0].notice).toMatch(/on the clipboard: paste it with Ctrl\+V.*xdotool: Can't open display/)
    await new Promise((res) => setTimeout(res, 30))
    expect(r.clipboard.contents.text).toBe(SAID)
  })

  it('an API error is reported with the dictation, nothing is inserted, and the microphone is free again', async () => {
    const r = rig()
    fake.injectFault({ kind: 'status', status: 402 })
    await r.dictate(voicePcm(800), quiet(400))
    expect(r.done[0]).toMatchObject({ text: '', insert: 'none', error: { kind: 'api' } })
    expect(r.clipboard.writes).toEqual([])
    expect(r.microphone.holder).toBeUndefined()
    expect(r.dictation.state().phase).toBe('idle')
  })

  it('the microphone taken (push-to-talk) drops the dictation; a failed recorder is reported', async () => {
    const r = rig()
    r.dictation.press()
    r.recorder.last.feed(voicePcm(500))
    r.microphone.claimIfAllowed('push-to-talk', () => {})
    expect(r.dictation.state().phase).toBe('idle')
    expect(r.recorder.last.cancelled).toBe(true)
    r.dictation.release()
    await new Promise((res) => setTimeout(res, 20))
    expect(r.done).toEqual([])

    const s = rig()
    s.recorder.failStart = Object.assign(new Error('No sound recorder was found.'), { toUserError: () => ({ kind: 'audio' as const, message: 'No sound recorder was found.' }) })
    s.dictation.press()
    expect(s.done[0]).toMatchObject({ insert: 'none', error: { kind: 'audio', message: 'No sound recorder was found.' } })
    expect(s.microphone.holder).toBeUndefined()
  })

  it('an audio file from the command is transcribed with the same prompt; printed only when there is nowhere to insert it', async () => {
    const r = rig({ inserter: false })
    const d = await r.dictation.dictateAudio(encodeWav(voicePcm(800), 16000), { insert: true })
    expect(d).toMatchObject({ text: SAID, insert: 'none' })
    expect(dictationRequests()).toHaveLength(1)
    // A WAV goes in the upload format, like a recording.
    expect(uploadedUri(dictationRequests()[0])).toMatch(/^data:audio\/mpeg;base64,/)
    // A file that is no recording is refused before anything is sent.
    const bad = await r.dictation.dictateAudio(Buffer.from('not audio at all, just text'))
    expect(bad.error?.message).toMatch(/not a recording/)
    expect(dictationRequests()).toHaveLength(1)
  })

  it('the recording goes up in the upload format: MP3 by default (a quarter of the bytes), WAV when lossless is chosen', async () => {
    const sizes: Record<string, number> = {}
    for (const uploadFormat of ['compact', 'lossless'] as const) {
      fake.clearRequests()
      const r = rig({ settings: { uploadFormat } })
      await r.dictate(voicePcm(2000), quiet(400))
      expect(r.done[0].text).toBe(SAID)
      const uri = uploadedUri(dictationRequests()[0])
      expect(uri).toMatch(uploadFormat === 'compact' ? /^data:audio\/mpeg;base64,/ : /^data:audio\/wav;base64,/)
      sizes[uploadFormat] = uri.length
      // Nothing of the speech is lost on the way: what the service decodes lasts as long as what was said.
      const heardMs = ((await uploaded(dictationRequests()[0])).length / 16000) * 1000
      expect(heardMs).toBeGreaterThan(2000)
      expect(heardMs).toBeLessThan(2800)
    }
    expect(sizes.compact * 4).toBeLessThan(sizes.lossless)
  })
})
