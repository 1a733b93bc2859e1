// The conversation mode on the real assistant, against the fake MiMo server over HTTP; the
// microphone is a stand-in fed 50 ms frames by the test (test/audio-stack/conversation.test.ts does
// the same with PulseAudio and spoken questions).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { until } from '../../until'
import { startFakeMimo, type FakeMimo, type LoggedRequest } from '../../fake-mimo/server'
import { MimoClient } from '../../../src/core/mimo/client'
import { createAssistant, type Assistant } from '../../../src/core/assistant/assistant'
import { createVoiceResolver } from '../../../src/core/assistant/voice-resolver'
import { AudioDeviceError } from '../../../src/core/audio/errors'
import { Microphone } from '../../../src/core/audio/microphone'
import { ConversationMode } from '../../../src/core/modes/conversation-mode'
import { Announcements } from '../../../src/core/announcements'
import { speakText } from '../../../src/core/assistant/speak-text'
import { DEFAULT_SETTINGS, type Settings } from '../../../src/shared/settings'
import type { ConversationState } from '../../../src/shared/modes'
import { FakeRecorder, voicePcm } from '../assistant/fake-recorder'
import { RecordingSink, recordingSinks } from '../assistant/recording-sink'
import { FakeListeningRecorder, quiet } from './fake-listening'

/** Each question a different length, so the fake can tell which one it was sent. */
const QUESTIONS: Record<number, string> = { 700: 'What is the capital of France?', 1100: 'And of Italy?', 500: 'Goodbye!' }

let fake: FakeMimo
let client: MimoClient

beforeAll(async () => {
  fake = await startFakeMimo({
    reply: (ctx) => `About "${ctx.question}": here is the answer. It has a second sentence. And a third one to make it longer.`,
    transcript: ({ samples, sampleRate }) => {
      // The utterance holds silence around the voice: the voice is the span of samples that are not
      // silent (an MP3 upload rings a little around it, far less than the 200 ms between questions).
      const loud = (v: number): boolean => Math.abs(v) > 0.01
      let first = samples.findIndex(loud)
      let last = samples.length - 1
      while (last > first && !loud(samples[last])) last--
      if (first < 0) first = last
      const ms = ((last - first) / sampleRate) * 1000
      const voice = Object.keys(QUESTIONS)
        .map(Number)
        .sort((a, b) => Math.abs(a - ms) - Math.abs(b - ms))[0]
      return QUESTIONS[voice]
    }
  })
  client = new MimoClient({ baseUrl: fake.url, apiKey: 'test-key', retry: { maxAttempts: 1 } })
})
afterAll(async () => {
  await client.close()
  await fake.close()
})

const open: Array<{ assistant: Assistant; conversation: ConversationMode }> = []
afterEach(() => {
  for (const o of open.splice(0)) {
    o.conversation.dispose()
    o.assistant.dispose()
  }
  fake.clearFaults()
  fake.clearRequests()
})

function rig(o: { settings?: Partial<Settings>; realtime?: boolean; announcements?: Announcements } = {}) {
  const settings: Settings = { ...DEFAULT_SETTINGS, baseUrl: fake.url, ...o.settings }
  const microphone = new Microphone()
  const sinks: RecordingSink[] = []
  const pttRecorder = new FakeRecorder()
  const assistant = createAssistant({
    client,
    recorder: pttRecorder,
    microphone,
    createSink: recordingSinks(sinks, { realtime: o.realtime }),
    settings: () => settings,
    voices: createVoiceResolver(),
    realtimeSink: o.realtime ?? false
  })
  const recorder = new FakeListeningRecorder()
  const conversation = new ConversationMode({ assistant, recorder, microphone, settings: () => settings, announcements: o.announcements })
  const states: ConversationState[] = []
  conversation.on('state', (s) => states.push(s))
  open.push({ assistant, conversation })
  return { assistant, conversation, recorder, microphone, settings, sinks, states, pttRecorder }
}

const answerRequests = (): LoggedRequest[] =>
  fake.requests.filter((r) => (r.body as { stream?: boolean }).stream === true && !String((r.body as { model?: string }).model).includes('tts'))
type Msg = { role: string; content: unknown }

describe('hands-free conversation', () => {
  it('two questions with a pause between them become two turns with two answers, no key pressed', async () => {
    const r = rig()
    expect(r.conversation.start().phase).toBe('listening')
    expect(r.microphone.holder).toBe('conversation')
    const mic = r.recorder.last

    mic.feed(quiet(300))
    mic.feed(voicePcm(700))
    mic.feed(quiet(1500))
    await until(() => r.assistant.snapshot().turns.length === 1 && r.assistant.snapshot().turns[0].status === 'done', { what: 'the first answer' })
    await until(() => r.conversation.state().phase === 'listening', { what: 'listening again' })

    mic.feed(voicePcm(1100))
    mic.feed(quiet(1500))
    await until(() => r.assistant.snapshot().turns.filter((t) => t.status === 'done').length === 2, { what: 'the second answer' })

    const turns = r.assistant.snapshot().turns
    expect(turns.map((t) => t.input)).toEqual(['voice', 'voice'])
    expect(turns[0].reply).toContain('capital of France')
    expect(turns[1].reply).toContain('And of Italy')
    expect(r.conversation.state()).toMatchObject({ phase: 'listening', turns: 2 })
    // The second question carries the first exchange as history.
    const second = answerRequests()[1].body as { messages: Msg[] }
    expect(second.messages.some((m) => m.role === 'assistant' && String(m.content).includes('capital of France'))).toBe(true)
  })

  it('while an answer is spoken the microphone is not heard (interrupting by voice off)', async () => {
    const r = rig({ realtime: true })
    r.conversation.start()
    const mic = r.recorder.last
    mic.feed(voicePcm(700))
    mic.feed(quiet(1000))
    await until(() => r.assistant.state().phase === 'speaking', { what: 'the answer playing' })
    expect(r.conversation.state().phase).toBe('answering')
    mic.feed(voicePcm(1100))
    mic.feed(quiet(1000))
    expect(r.assistant.snapshot().turns).toHaveLength(1)
    expect(r.assistant.state().phase).toBe('speaking')
  })

  it("a timer's alert playing is not heard as a question, even when interrupting by voice; listening resumes after it", async () => {
    const announcements = new Announcements()
    const r = rig({ announcements, settings: { conversationInterrupt: true } })
    r.conversation.start()
    const mic = r.recorder.last
    // The user has begun to speak when the alert starts: what was heard so far is dropped with it.
    mic.feed(voicePcm(400))
    expect(r.conversation.state().phase).toBe('hearing')
    const sink = new RecordingSink({ realtime: true })
    const voice = createVoiceResolver().resolve(DEFAULT_SETTINGS.voice)
    const alert = announcements.say(() => speakText({ client, text: 'Your timer is done.', voice, sink }))
    expect(announcements.playing).toBe(true)
    expect(r.conversation.state().phase).toBe('listening')
    // Without echo cancellation the microphone hears the alert: no turn comes of it.
    mic.feed(voicePcm(1100))
    mic.feed(quiet(1000))
    expect(r.assistant.snapshot().turns).toHaveLength(0)
    await alert
    expect(sink.bytesWritten).toBeGreaterThan(0)
    expect(announcements.playing).toBe(false)

    mic.feed(quiet(300))
    mic.feed(voicePcm(700))
    mic.feed(quiet(1500))
    await until(() => r.assistant.snapshot().turns[0]?.status === 'done', { what: 'the answer after the alert' })
    expect(r.assistant.snapshot().turns).toHaveLength(1)
    expect(r.assistant.snapshot().turns[0].reply).toContain('capital of France')
  })

  it('interrupting by voice: speech over the answer stops it at once, history keeps what was heard, and it becomes the next turn', async () => {
    const r = rig({ realtime: true, settings: { conversationInterrupt: true } })
    r.conversation.start()
    const mic = r.recorder.last
    mic.feed(voicePcm(700))
    mic.feed(quiet(1000))
    await until(() => r.assistant.state().phase === 'speaking', { what: 'the answer playing' })
    await new Promise((res) => setTimeout(res, 400))
    mic.feed(voicePcm(300)) // speech recognised within ~150 ms of audio
    expect(r.sinks[0].stoppedAt).not.toBeNull()
    const first = r.assistant.snapshot().turns[0]
    expect(first.status).toBe('stopped')
    expect(first.spoken.length).toBeGreaterThan(0)
    expect(first.spoken.length).toBeLessThan(first.reply.length)
    expect(r.conversation.state().phase).toBe('hearing')
    mic.feed(voicePcm(800))
    mic.feed(quiet(1200))
    await until(() => r.assistant.snapshot().turns.length === 2, { what: 'the second turn' })
    await until(() => answerRequests().length === 2, { what: 'the second question sent' })
    const history = (answerRequests()[1].body as { messages: Msg[] }).messages.filter((m) => m.role === 'assistant')
    expect(history).toEqual([{ role: 'assistant', content: first.spoken }])
  })

  it('a spoken "goodbye" ends the conversation and gives the microphone back', async () => {
    const r = rig()
    r.conversation.start()
    const mic = r.recorder.last
    mic.feed(voicePcm(500))
    mic.feed(quiet(1000))
    await until(() => r.conversation.state().phase === 'off', { what: 'the conversation to end' })
    expect(r.conversation.state()).toMatchObject({ phase: 'off', ended: 'stop-phrase', turns: 1 })
    expect(mic.cancelled).toBe(true)
    expect(r.microphone.holder).toBeUndefined()
    // Frames after the end change nothing.
    mic.feed(voicePcm(700))
    expect(r.assistant.snapshot().turns).toHaveLength(1)
  })

  it('ends after the silence timeout, counted while listening only', async () => {
    const r = rig({ settings: { conversationTimeoutSec: 5 } })
    r.conversation.start()
    const mic = r.recorder.last
    mic.feed(quiet(4900))
    expect(r.conversation.state().phase).toBe('listening')
    mic.feed(quiet(200))
    expect(r.conversation.state()).toMatchObject({ phase: 'off', ended: 'silence' })
  })

  it('stop() ends it (the shortcut, Esc, the button): the answer being spoken stops too', async () => {
    const r = rig({ realtime: true })
    r.conversation.start()
    r.recorder.last.feed(voicePcm(700))
    r.recorder.last.feed(quiet(1000))
    await until(() => r.assistant.state().phase === 'speaking', { what: 'the answer playing' })
    expect(r.conversation.stop()).toMatchObject({ phase: 'off', ended: 'user' })
    expect(r.sinks[0].stoppedAt).not.toBeNull()
    expect(r.assistant.state().phase).toBe('idle')
    expect(r.microphone.holder).toBeUndefined()
    // The question is still written down (asked once the first audio played), and its request is
    // over before the next test scripts the fake.
    await until(() => r.assistant.snapshot().turns[0]?.transcribing === false, { what: 'the transcript' })
  })

  it('push-to-talk takes the microphone: the conversation ends and the new recording goes on', () => {
    const r = rig()
    r.conversation.start()
    r.assistant.press()
    expect(r.conversation.state()).toMatchObject({ phase: 'off', ended: 'microphone-taken' })
    expect(r.assistant.state().phase).toBe('recording')
    expect(r.microphone.holder).toBe('push-to-talk')
  })

  it('a failed turn ends the conversation with its error; a failed recorder too', async () => {
    const r = rig()
    r.conversation.start()
    fake.injectFault({ kind: 'status', status: 401 })
    r.recorder.last.feed(voicePcm(700))
    r.recorder.last.feed(quiet(1000))
    await until(() => r.conversation.state().phase === 'off', { what: 'the conversation to end' })
    expect(r.conversation.state().ended).toBe('error')
    expect(r.conversation.state().error?.message).toMatch(/key/i)

    r.conversation.start()
    r.recorder.last.emit('error', new AudioDeviceError('The microphone was unplugged.', 'failed'))
    expect(r.conversation.state()).toMatchObject({ phase: 'off', ended: 'error', error: { kind: 'audio', message: 'The microphone was unplugged.' } })
    expect(r.microphone.holder).toBeUndefined()
  })
})
