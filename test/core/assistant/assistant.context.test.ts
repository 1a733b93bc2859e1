// The assistant with context, against the fake MiMo over real HTTP: captured at the press, shown on
// the turn as soon as it is gathered, sent once, kept for a retry, and a failed capture ends the turn.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { until } from '../../until'
import { startFakeMimo, type FakeMimo, type LoggedImage } from '../../fake-mimo/server'
import { MimoClient } from '../../../src/core/mimo/client'
import { createAssistant, type Assistant } from '../../../src/core/assistant/assistant'
import { createVoiceResolver } from '../../../src/core/assistant/voice-resolver'
import { ContextService } from '../../../src/core/context/context-service'
import { DEFAULT_SETTINGS, type Settings } from '../../../src/shared/settings'
import type { TurnView } from '../../../src/shared/assistant'
import { FakeRecorder } from './fake-recorder'
import { FakeScreen, FakeSelection, paint } from '../context/fake-sources'

let fake: FakeMimo
let client: MimoClient
const open: Assistant[] = []

beforeAll(async () => {
  fake = await startFakeMimo({ transcript: 'What is on my screen?' })
  client = new MimoClient({ baseUrl: fake.url, apiKey: 'test-key', retry: { maxAttempts: 1 } })
})
afterAll(async () => {
  await client.close()
  await fake.close()
})
afterEach(() => {
  for (const a of open.splice(0)) a.dispose()
  fake.clearRequests()
  fake.clearFaults()
})

function rig(settings: Partial<Settings> = {}) {
  const screen = new FakeScreen({ image: { kind: 'raw', raw: paint(1280, 720, [200, 30, 30]) }, windows: [] })
  const context = new ContextService({ capture: screen, text: new FakeSelection('le texte choisi'), settings: () => ({ ...DEFAULT_SETTINGS, ...settings }) })
  const recorder = new FakeRecorder()
  const assistant = createAssistant({
    client,
    recorder,
    context,
    createSink: async () => {
      throw new Error('no speech in these tests')
    },
    speak: () => false,
    settings: () => ({ ...DEFAULT_SETTINGS, baseUrl: fake.url, ...settings }),
    voices: createVoiceResolver()
  })
  open.push(assistant)
  return { assistant, screen, context, recorder }
}

const answers = () => fake.requests.filter((r) => (r.body as { stream?: boolean }).stream === true)
const imagesOf = (i: number): LoggedImage[] => answers()[i].images ?? []

describe('assistant: questions with context', () => {
  it('the screen is captured at the press, shown on the turn while recording, and sent with the recording', async () => {
    const { assistant, screen, recorder } = rig()
    const views: TurnView[] = []
    assistant.on('turn', (v) => views.push(v))
    assistant.press({ context: { screen: true } })
    expect(screen.calls).toHaveLength(1)
    await until(() => views.some((v) => v.status === 'recording' && v.attachments?.[0]?.kind === 'screen'), { what: 'the screen on the recording turn' })
    expect(recorder.sessions).toHaveLength(1)
    const done = await assistant.settled(assistant.release().turnId!)
    expect(done.status).toBe('done')
    expect(done.attachments?.[0]).toMatchObject({ kind: 'screen', width: 1280, height: 720, mime: 'image/jpeg' })
    expect(imagesOf(0)).toEqual([expect.objectContaining({ width: 1280, height: 720, mime: 'image/jpeg' })])
    expect(done.reply).toContain('1280 by 720 pixels')
    // The service counts the image's tokens; the turn shows them.
    expect(done.usage?.imageTokens).toBe(Math.ceil(1280 / 28) * Math.ceil(720 / 28))
  })

  it('the next question does not carry the image again; history mentions it', async () => {
    const { assistant } = rig()
    await assistant.settled(assistant.ask('What is this?', { context: { screen: true, selection: true } }).turnId)
    await assistant.settled(assistant.ask('And before?').turnId)
    expect(imagesOf(0)).toHaveLength(1)
    expect(imagesOf(1)).toHaveLength(0)
    const messages = (answers()[1].body as { messages: Array<{ role: string; content: unknown }> }).messages
    expect(messages.find((m) => m.role === 'user')!.content).toBe(
      '(With this question the user sent a screen capture, 1280×720; selected text, 15 characters; it is not repeated here.)\nWhat is this?'
    )
  })

  it("a hands-free conversation's turn takes the switches and waiting images like any question; the next one does not", async () => {
    const { assistant, screen, context, recorder } = rig()
    context.setNext({ screen: true })
    const first = await assistant.settled(assistant.askRecording(recorder.next).turnId)
    expect(screen.calls).toHaveLength(1)
    expect(first.attachments?.[0]).toMatchObject({ kind: 'screen', width: 1280, height: 720 })
    expect(imagesOf(0)).toEqual([expect.objectContaining({ width: 1280, height: 720 })])
    expect(context.next().screen).toBe(false)
    await assistant.settled(assistant.askRecording(recorder.next).turnId)
    expect(imagesOf(1)).toHaveLength(0)
    // What was said is written down after the answer: let that request end here, not in the next test.
    await until(() => assistant.snapshot().turns.every((t) => !t.transcribing), { what: 'the transcripts' })
  })

  it('a failed capture ends the turn at once, before the key is let go; nothing is sent', async () => {
    const { assistant, screen, recorder } = rig()
    screen.screen = async () => {
      throw new Error('the X server went away')
    }
    const { turnId } = assistant.press({ context: { screen: true } })
    const failed = await assistant.settled(turnId!)
    expect(failed.status).toBe('error')
    expect(failed.status === 'error' && failed.error).toMatchObject({ code: 'capture-failed' })
    expect(recorder.last.cancelled).toBe(true)
    expect(fake.requests).toHaveLength(0)
    // Nothing was captured, so there is nothing to ask again: the gesture is.
    expect(failed.status === 'error' && failed.canRetry).toBe(false)

    // A typed question whose capture failed is not retried either (it would fail the same way).
    const typed = await assistant.settled(assistant.ask('What is this?', { context: { screen: true } }).turnId)
    expect(typed.status === 'error' && typed.canRetry).toBe(false)
  })

  it('a retry sends the same context without capturing again', async () => {
    const { assistant, screen } = rig()
    fake.injectFault({ kind: 'status', status: 500 })
    const failed = await assistant.settled(assistant.ask('What is this?', { context: { screen: true } }).turnId)
    expect(failed.status).toBe('error')
    const again = await assistant.settled(assistant.retry(failed.id).turnId)
    expect(again.status).toBe('done')
    expect(screen.calls).toHaveLength(1)
    expect(imagesOf(1)).toHaveLength(1)
    expect(again.attachments?.[0].kind).toBe('screen')
  })

  it('a typed question with the screen on a model that cannot see is refused before anything is captured', () => {
    const { assistant, screen, context } = rig({ chatModel: 'mimo-v2.5-pro' })
    context.setNext({ screen: true })
    expect(() => assistant.ask('What is on my screen?')).toThrow(/does not take images/)
    expect(screen.calls).toHaveLength(0)
    // The switch is still on: nothing was taken.
    expect(context.next().screen).toBe(true)
  })
})
