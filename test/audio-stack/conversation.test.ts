// The hands-free conversation for real: questions spoken (espeak-ng) into PulseAudio's virtual
// microphone, the app's low-latency recorder listening, the real assistant asking the fake MiMo
// over HTTP, and the answers played by pacat into the test speaker, whose monitor the test hears.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { until } from '../until'
import { startFakeMimo, type FakeMimo, type LoggedRequest } from '../fake-mimo/server'
import { hearSpeech, type HeardSpeech } from '../fake-mimo/audio-check'
import { MimoClient } from '../../src/core/mimo/client'
import { floatToPcm16, resample } from '../../src/core/audio/wav'
import { createAssistant, type Assistant } from '../../src/core/assistant/assistant'
import { createVoiceResolver } from '../../src/core/assistant/voice-resolver'
import { listInputDevices } from '../../src/core/audio/devices'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runMain } from '../cli/cli-io'
import { startCommand } from '../cli/run-command'
import { startPrivateDisplay } from '../main/hotkey/private-display'
import sharp from 'sharp'
import { Microphone } from '../../src/core/audio/microphone'
import { playerFactory } from '../../src/core/audio/player'
import { Recorder } from '../../src/core/audio/recorder'
import { ConversationMode } from '../../src/core/modes/conversation-mode'
import { DEFAULT_SETTINGS, type Settings } from '../../src/shared/settings'
import type { ConversationState } from '../../src/shared/modes'
import {
  bestCorrelation,
  captureMonitor,
  ensureAudioStack,
  makeSpeech,
  MIC_RATE,
  pcmFromBuffer,
  segmentsInOrder,
  silence,
  SPEAKER_RATE,
  speakIntoMic,
  withoutSilentGaps,
  type Capture
} from './pulse'

const Q1 = 'What is the capital of France?'
const Q2 = 'How tall is the Eiffel Tower?'
const BYE = 'Goodbye.'
const Q_TIME = 'What time is it?'

let fake: FakeMimo
let client: MimoClient
const speech: Record<string, Buffer> = {}

/**
 * How well a spoken phrase is in a recording, 0 to 1: the better of the whole phrase's correlation and
 * the share of its 250 ms pieces found in order. A player starved of CPU on a loaded machine underruns
 * and the sink inserts digital silence. In a WAV upload such a gap is exact zeros and is taken out; through
 * MP3 it is not, and a 20 ms gap brings the whole phrase's correlation down to about 0.55 while the
 * pieces on either side of it are still found (5 of 6).
 */
function heardAs(phrase: Buffer, recording: Int16Array): number {
  const reference = withoutSilentGaps(pcmFromBuffer(phrase), MIC_RATE).pcm
  const whole = bestCorrelation(reference, withoutSilentGaps(recording, MIC_RATE).pcm).correlation
  const pieces = segmentsInOrder(reference, recording, MIC_RATE)
  return Math.max(whole, pieces.ordered ? pieces.share : 0)
}

/**
 * A phrase scoring this is in the recording. Measured through the upload's MP3 with one 20 or 40 ms
 * gap put anywhere in a phrase: the phrase still scores 0.66 or more (the short ones, "Goodbye." and
 * "What time is it?", are the lowest: one of their four pieces is lost), every other test phrase
 * 0.22 or less. 0.8 failed the short phrases on such a gap.
 */
const HEARD = 0.5

/** The fake "hears" whichever test phrase the uploaded audio holds (the best score). */
function whichPhrase(upload: HeardSpeech): string {
  const heard = floatToPcm16(resample(upload.samples, upload.sampleRate, MIC_RATE))
  let best = { text: '', score: 0 }
  for (const [text, pcm] of Object.entries(speech)) {
    const score = heardAs(pcm, heard)
    if (score > best.score) best = { text, score }
  }
  return best.score >= HEARD ? best.text : 'something I could not make out'
}

beforeAll(async () => {
  await ensureAudioStack()
  for (const text of [Q1, Q2, BYE, Q_TIME]) speech[text] = await makeSpeech(text)
  fake = await startFakeMimo({
    // Long enough to be talked over; the first test waits for it, so each sentence is short.
    reply: (ctx) => `You asked: ${ctx.question} Here is the answer. It is short. More would follow. And more.`,
    transcript: whichPhrase
  })
  client = new MimoClient({ baseUrl: fake.url, apiKey: 'test-key', retry: { maxAttempts: 1 } })
}, 60_000)
afterAll(async () => {
  await client?.close()
  await fake?.close()
})

const open: Array<{ assistant: Assistant; conversation: ConversationMode; captures: Capture[] }> = []
afterEach(async () => {
  for (const o of open.splice(0)) {
    o.conversation.dispose()
    o.assistant.dispose()
    for (const c of o.captures) await c.stop()
  }
  fake.clearRequests()
})

function rig(overrides: Partial<Settings> = {}) {
  const settings: Settings = { ...DEFAULT_SETTINGS, baseUrl: fake.url, ...overrides }
  const microphone = new Microphone()
  const recorder = new Recorder({ lowLatency: true })
  const assistant = createAssistant({
    client,
    recorder,
    microphone,
    createSink: playerFactory(() => settings, { program: 'pacat' }),
    settings: () => settings,
    voices: createVoiceResolver()
  })
  const conversation = new ConversationMode({ assistant, recorder, microphone, settings: () => settings })
  const states: ConversationState[] = []
  conversation.on('state', (s) => states.push(s))
  const captures: Capture[] = []
  open.push({ assistant, conversation, captures })
  return { assistant, conversation, states, captures }
}

/** Resolves once the conversation's microphone delivers audio. */
function micRunning(conversation: ConversationMode): Promise<void> {
  return new Promise((resolve) => {
    const off = conversation.on('level', () => {
      off()
      resolve()
    })
  })
}

const answerRequests = (): LoggedRequest[] =>
  fake.requests.filter((r) => (r.body as { stream?: boolean }).stream === true && !String((r.body as { model?: string }).model).includes('tts'))

/** The audio the last user message of a request carried (MP3 or WAV), as the fake hears it. */
async function uploadedPcm(r: LoggedRequest): Promise<Int16Array> {
  const messages = (r.body as { messages: Array<{ role: string; content: unknown }> }).messages
  const parts = messages[messages.length - 1].content as Array<{ type: string; input_audio?: { data: string } }>
  const uri = parts.find((p) => p.type === 'input_audio')!.input_audio!.data
  const upload = await hearSpeech(Buffer.from(uri.split(',')[1], 'base64'))
  return floatToPcm16(resample(upload.samples, upload.sampleRate, MIC_RATE))
}

/** Wall time (performance.now()) at which sample `index` of a capture arrived. */
function arrivalOf(capture: Capture, index: number): number {
  return capture.arrivals.find((a) => a.endSample > index)?.at ?? Infinity
}

function firstLoud(pcm: Int16Array, from: number, threshold = 500): number {
  for (let i = from; i < pcm.length; i++) if (Math.abs(pcm[i]) > threshold) return i
  return -1
}

describe('hands-free conversation on the PulseAudio test stack', () => {
  it('two questions, each followed by a 1.5 s pause, become two turns with two spoken answers; no key is pressed', async () => {
    const r = rig()
    const speaker = await captureMonitor()
    r.captures.push(speaker)
    const running = micRunning(r.conversation)
    expect(r.conversation.start().phase).toBe('listening')
    await running

    await speakIntoMic(Buffer.concat([speech[Q1], silence(1500, MIC_RATE)]))
    await until(() => r.assistant.snapshot().turns[0]?.status === 'done', { what: 'the first answer spoken', timeoutMs: 30_000 })
    await until(() => r.conversation.state().phase === 'listening', { what: 'listening again' })
    const afterFirst = speaker.samples().length

    await speakIntoMic(Buffer.concat([speech[Q2], silence(1500, MIC_RATE)]))
    await until(() => r.assistant.snapshot().turns[1]?.status === 'done', { what: 'the second answer spoken', timeoutMs: 30_000 })

    const turns = r.assistant.snapshot().turns
    expect(turns).toHaveLength(2)
    expect(turns.map((t) => t.input)).toEqual(['voice', 'voice'])
    expect(turns[0].reply).toContain(Q1)
    expect(turns[1].reply).toContain(Q2)
    expect(turns.map((t) => t.spoken)).toEqual(turns.map((t) => t.reply))
    expect(r.conversation.state()).toMatchObject({ phase: 'listening', turns: 2 })
    // Each question went up whole; each answer was heard at the speaker.
    const [a, b] = answerRequests()
    expect(heardAs(speech[Q1], await uploadedPcm(a))).toBeGreaterThanOrEqual(HEARD)
    expect(heardAs(speech[Q2], await uploadedPcm(b))).toBeGreaterThanOrEqual(HEARD)
    const heard = speaker.samples()
    expect(firstLoud(heard, 0)).toBeGreaterThanOrEqual(0)
    expect(firstLoud(heard, afterFirst)).toBeGreaterThan(afterFirst)
  })

  it('a spoken "goodbye" ends the conversation', async () => {
    const r = rig()
    const running = micRunning(r.conversation)
    r.conversation.start()
    await running
    await speakIntoMic(Buffer.concat([speech[BYE], silence(1200, MIC_RATE)]))
    await until(() => r.conversation.state().phase === 'off', { what: 'the conversation to end', timeoutMs: 15_000 })
    expect(r.conversation.state()).toMatchObject({ ended: 'stop-phrase', turns: 1 })
    expect(r.assistant.snapshot().turns[0].question).toBe(BYE)
  })

  it('interrupting by voice: speech over an answer silences it within 300 ms and becomes the next turn', async () => {
    const r = rig({ conversationInterrupt: true })
    const mic = await captureMonitor('micsink.monitor', MIC_RATE)
    const speaker = await captureMonitor()
    r.captures.push(mic, speaker)
    const running = micRunning(r.conversation)
    r.conversation.start()
    await running

    await speakIntoMic(Buffer.concat([speech[Q1], silence(1000, MIC_RATE)]))
    await until(() => r.assistant.state().phase === 'speaking', { what: 'the answer playing', timeoutMs: 20_000 })
    await new Promise((res) => setTimeout(res, 700)) // well into the answer
    // Talk over it while it is sounding (not in a pause between two sentences).
    await until(
      () => {
        const heard = speaker.samples()
        return firstLoud(heard, Math.max(0, heard.length - SPEAKER_RATE / 20)) >= 0
      },
      { what: 'the answer sounding', timeoutMs: 10_000 }
    )
    const micFrom = mic.samples().length
    const speakerFrom = Math.max(0, speaker.samples().length - SPEAKER_RATE / 20)

    await speakIntoMic(Buffer.concat([speech[Q2], silence(1200, MIC_RATE)]))
    await until(() => r.assistant.snapshot().turns[1]?.status === 'done', { what: 'the second answer', timeoutMs: 30_000 })

    // When the barge-in reached the microphone, and when the speaker fell silent (a gap of 400 ms or more).
    const micPcm = mic.samples()
    const onset = firstLoud(micPcm, micFrom)
    const bargeAt = arrivalOf(mic, onset)
    const spk = speaker.samples()
    const gap = Math.round(0.4 * SPEAKER_RATE)
    let lastSound = speakerFrom
    for (let i = speakerFrom, quiet = 0; i < spk.length; i++) {
      if (Math.abs(spk[i]) > 300) {
        lastSound = i
        quiet = 0
      } else if (++quiet >= gap && arrivalOf(speaker, i) > bargeAt) break
    }
    const silentAt = arrivalOf(speaker, lastSound)
    const latencyMs = silentAt - bargeAt
    console.log(`barge-in: the answer fell silent ${Math.round(latencyMs)} ms after speech reached the microphone`)
    expect(latencyMs).toBeLessThanOrEqual(300)

    const [first, second] = r.assistant.snapshot().turns
    expect(first.status).toBe('stopped')
    expect(first.spoken.length).toBeLessThan(first.reply.length)
    expect(second.question).toBe(Q2)
    // What the model is told of the first answer is what was heard of it.
    const history = (answerRequests()[1].body as { messages: Array<{ role: string; content: unknown }> }).messages.filter((m) => m.role === 'assistant')
    expect(history).toEqual([{ role: 'assistant', content: first.spoken }])
  })

  it("the device list marks an echo-cancelled microphone (PulseAudio's module-echo-cancel), fit for interrupting by voice", async () => {
    const pactl = (...args: string[]) => promisify(execFile)('pactl', args, { env: process.env })
    // Its gain control would turn the virtual microphone down (and leave it so for the next tests).
    const volume = /(\d+%)/.exec((await pactl('get-source-volume', 'micsink.monitor')).stdout)?.[1] ?? '100%'
    const loaded = await pactl(
      'load-module',
      'module-echo-cancel',
      'source_master=micsink.monitor',
      'sink_master=spk',
      'source_name=ec_mic',
      'sink_name=ec_spk',
      'use_volume_sharing=false',
      'aec_args="analog_gain_control=0 digital_gain_control=0"'
    )
    try {
      const devices = await listInputDevices({ env: process.env })
      expect(devices.find((d) => d.id === 'ec_mic')).toMatchObject({ echoCancelled: true })
      expect(devices.filter((d) => d.echoCancelled).map((d) => d.id)).toEqual(['ec_mic'])
    } finally {
      await pactl('unload-module', loaded.stdout.trim())
      await pactl('set-source-volume', 'micsink.monitor', volume)
    }
  })

  it('mimo-voice chat --mic --screen --image FILE: each turn carries the screen taken when it is asked, the image only the first', { timeout: 90_000 }, async () => {
    const home = await mkdtemp(path.join(tmpdir(), 'mimo-chat-'))
    try {
      // An X server of its own, of a known size: the capture and the window look-ups both use it.
      const { display } = await startPrivateDisplay(10_000, '800x600x24')
      const picture = path.join(home, 'picture.png')
      await sharp({ create: { width: 64, height: 48, channels: 3, background: '#ff0000' } }).png().toFile(picture)
      const { child, done } = startCommand(home, ['chat', '--mic', '--no-speak', '--screen', '--image', picture, '--base-url', fake.url, '--api-key', 'test-key'], {
        env: { PULSE_SERVER: process.env.PULSE_SERVER, DISPLAY: display }
      })
      let err = ''
      child.stderr.on('data', (d: Buffer) => (err += d.toString()))
      const listened = (n: number) => until(() => (err.match(/\(listening…\)/g) ?? []).length >= n, { what: `chat listening (${n})`, timeoutMs: 40_000 })
      await listened(1)
      await new Promise((res) => setTimeout(res, 300))
      await speakIntoMic(Buffer.concat([speech[Q1], silence(1500, MIC_RATE)]))
      await listened(2)
      await speakIntoMic(Buffer.concat([speech[Q2], silence(1500, MIC_RATE)]))
      await listened(3)
      await speakIntoMic(Buffer.concat([speech[BYE], silence(1200, MIC_RATE)]))
      const r = await done
      expect(r.code, err).toBe(0)

      const [first, second] = answerRequests()
      const sizes = (req: LoggedRequest) => (req.images ?? []).map((i) => ('width' in i ? `${i.width}x${i.height}` : i.url)).sort()
      expect(sizes(first)).toEqual(['64x48', '800x600'])
      expect(sizes(second)).toEqual(['800x600'])
      // The second question was heard and answered (its transcript may be printed after the answer).
      expect(r.stdout.toString()).toContain(`mimo: You asked: ${Q2}`)
    } finally {
      await rm(home, { recursive: true, force: true })
    }
  })

  it('mimo-voice chat --mic --tools: a spoken question answered aloud through a tool, then "goodbye" ends it with exit 0', { timeout: 90_000 }, async () => {
    const home = await mkdtemp(path.join(tmpdir(), 'mimo-chat-'))
    let err = ''
    try {
      const running = runMain(['chat', '--mic', '--tools', '--base-url', fake.url, '--api-key', 'test-key'], {
        home,
        env: { PULSE_SERVER: process.env.PULSE_SERVER },
        onOutput: (_out, e) => (err = e)
      })
      await until(() => err.includes('(listening…)'), { what: 'chat listening', timeoutMs: 15_000 })
      await new Promise((res) => setTimeout(res, 300))
      await speakIntoMic(Buffer.concat([speech[Q_TIME], silence(1500, MIC_RATE)]))
      await until(() => (err.match(/\(listening…\)/g) ?? []).length >= 2, { what: 'listening again', timeoutMs: 40_000 })
      await speakIntoMic(Buffer.concat([speech[BYE], silence(1200, MIC_RATE)]))
      const r = await running
      expect(r.code).toBe(0)
      expect(r.stdout).toContain(`you:  ${Q_TIME}`)
      expect(r.stdout).toContain(`mimo: You asked: ${Q_TIME}`)
      // The clock tool was called for it (the fake calls it for that question when tools are offered).
      expect(err).toMatch(/^\[tool\] get_current_time \{\} → \{"local":/m)
    } finally {
      await rm(home, { recursive: true, force: true })
    }
  })
})
