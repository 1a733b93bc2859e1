// A timer set by a spoken question goes off with a notification and a spoken alert in the chosen
// voice, on a hand-turned clock; and it still goes off after the services are started again over
// the same data folder (a restart of the app).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { until } from '../../until'
import { defaultReply } from '../../fake-mimo/replies'
import { startFakeMimo, type FakeMimo, type LoggedRequest } from '../../fake-mimo/server'
import { createCoreServices, type CoreServices } from '../../../src/core/core-services'
import { encodeWav } from '../../../src/core/audio/wav'
import type { Notification } from '../../../src/core/ports'
import type { KeyService } from '../../../src/core/services'
import { createConfSettingsStore } from '../../../src/core/settings/conf-settings-store'
import { StoredSettingsService } from '../../../src/core/settings/settings-service'
import { voicePcm } from '../assistant/fake-recorder'
import { RecordingSink, recordingSinks } from '../assistant/recording-sink'
import { ManualClock } from './manual-clock'

let fake: FakeMimo
let dir: string
beforeAll(async () => {
  fake = await startFakeMimo({ transcript: 'Set a timer for ten minutes.' })
  dir = mkdtempSync(join(tmpdir(), 'mimo-timer-voice-'))
})
afterAll(async () => {
  await fake.close()
  rmSync(dir, { recursive: true, force: true })
})

const key: KeyService = {
  status: () => ({ set: true, last4: '-key', storage: 'os-keychain' }),
  set: () => key.status(),
  clear: () => key.status(),
  get: () => 'test-key',
  keyFor: async () => 'test-key',
  test: async () => ({ latencyMs: 1, model: 'mimo-v2.5' }),
  on: () => () => {}
}

function start(clock: ManualClock, notifications: Notification[], sinks: RecordingSink[], o: { realtime?: boolean } = {}): CoreServices {
  const settings = new StoredSettingsService(createConfSettingsStore({ cwd: dir }))
  return createCoreServices({
    settings,
    key,
    dataDir: dir,
    clock,
    scheduler: clock,
    notifier: { isSupported: () => true, show: (n) => void notifications.push(n) },
    createSink: recordingSinks(sinks, o)
  })
}

/** The services over the data folder with a chosen voice; sinks made after `playback.realtime` is set play in real time. */
function startPlayable() {
  const clock = new ManualClock()
  const notifications: Notification[] = []
  const sinks: RecordingSink[] = []
  new StoredSettingsService(createConfSettingsStore({ cwd: dir })).update({ baseUrl: fake.url, voice: { kind: 'builtin', id: 'Chloe' } })
  const playback = { realtime: false }
  return { clock, notifications, sinks, playback, core: start(clock, notifications, sinks, playback) }
}

const ttsTexts = (): string[] =>
  fake.requests
    .filter((r: LoggedRequest) => String((r.body as { model?: string }).model).includes('tts'))
    .map((r) => String((r.body as { messages: Array<{ role: string; content: string }> }).messages.find((m) => m.role === 'assistant')?.content))
const ttsVoices = (): string[] =>
  fake.requests.filter((r) => String((r.body as { model?: string }).model).includes('tts')).map((r) => String((r.body as { audio?: { voice?: string } }).audio?.voice))

describe('a timer set by voice', () => {
  it('goes off with a notification and speech, also after a restart', async () => {
    const clock = new ManualClock()
    const notifications: Notification[] = []
    const sinks: RecordingSink[] = []
    // The user's settings: the service's address and a chosen voice.
    new StoredSettingsService(createConfSettingsStore({ cwd: dir })).update({ baseUrl: fake.url, voice: { kind: 'builtin', id: 'Chloe' } })
    let core = start(clock, notifications, sinks)

    // Spoken: a recording of the question, which the fake hears as its transcript.
    const { turnId } = core.assistant.askAudio(encodeWav(voicePcm(1500), 16000))
    const turn = await core.assistant.settled(turnId)
    expect(turn.status).toBe('done')
    expect(turn.toolCalls).toEqual([expect.objectContaining({ tool: 'set_timer', status: 'done', arguments: '{"seconds":600,"label":"Timer"}' })])
    const [timer] = core.tools.timers()
    expect(Date.parse(timer.dueAt)).toBe(clock.now() + 600_000)

    // Nine minutes: nothing. Then the app restarts, and a minute later the timer goes off.
    clock.advance(9 * 60_000)
    expect(notifications).toEqual([])
    await core.close()
    fake.clearRequests()
    core = start(clock, notifications, sinks)
    expect(core.tools.timers().map((t) => t.id)).toEqual([timer.id])
    clock.advance(60_000)

    expect(notifications).toEqual([{ title: 'Timer done', body: 'Timer' }])
    await until(() => ttsTexts().includes('Your timer is done.'), { what: 'the spoken alert' })
    expect(ttsVoices()).toEqual(['Chloe'])
    await until(() => sinks.some((s) => s.endedAt !== null && s.bytesWritten > 24_000), { what: 'the alert to be played' })
    expect(core.tools.timers()).toEqual([])
    await core.close()
  })

  it('waits for the answer being spoken before it speaks; the notification does not wait', async () => {
    const { clock, notifications, sinks, playback, core } = startPlayable()
    try {
      const set = core.assistant.ask('Set a timer for ten minutes.')
      expect((await core.assistant.settled(set.turnId)).status).toBe('done')
      fake.clearRequests()

      // The timer falls due while the short answer to a question is being said, in real time.
      playback.realtime = true
      fake.setReply('The sea is wide and deep. It covers most of the world.')
      const { turnId } = core.assistant.ask('Tell me about the sea.')
      await until(() => core.assistant.state().phase === 'speaking', { what: 'the answer to be spoken' })
      const answerSinks = sinks.length
      clock.advance(600_000)
      expect(notifications).toEqual([{ title: 'Timer done', body: 'Timer' }])
      await new Promise((r) => setTimeout(r, 200))
      expect(core.assistant.state().phase).toBe('speaking')
      expect(ttsTexts()).not.toContain('Your timer is done.')

      const answer = await core.assistant.settled(turnId)
      expect(answer.status).toBe('done')
      await until(() => ttsTexts().includes('Your timer is done.'), { what: 'the spoken alert' })
      await until(() => sinks.length > answerSinks && sinks[sinks.length - 1].endedAt !== null, { what: 'the alert to be played' })
      const alertSink = sinks[sinks.length - 1]
      const lastAnswerEnd = Math.max(...sinks.slice(0, answerSinks).map((s) => s.endedAt ?? Infinity))
      expect(alertSink.writes[0].at).toBeGreaterThanOrEqual(lastAnswerEnd)
    } finally {
      fake.setReply(defaultReply)
      await core.close()
    }
  })

  it('two timers due together: both notified at once, the alerts spoken one after the other', async () => {
    const { clock, notifications, sinks, playback, core } = startPlayable()
    try {
      for (const question of ['Set a timer for ten minutes.', 'Remind me in 10 minutes to stretch.']) {
        const { turnId } = core.assistant.ask(question)
        expect((await core.assistant.settled(turnId)).status).toBe('done')
      }
      expect(core.tools.timers()).toHaveLength(2)
      fake.clearRequests()
      const before = sinks.length

      playback.realtime = true
      clock.advance(600_000)
      expect(notifications).toEqual([
        { title: 'Timer done', body: 'Timer' },
        { title: 'Reminder', body: 'stretch' }
      ])
      await until(() => sinks.length === before + 2 && sinks.every((s) => s.endedAt !== null), { what: 'both alerts to be played', timeoutMs: 20_000 })
      expect(ttsTexts()).toEqual(['Your timer is done.', 'Reminder: stretch.'])
      const [first, second] = sinks.slice(before)
      expect(second.writes[0].at).toBeGreaterThanOrEqual(first.endedAt!)
    } finally {
      await core.close()
    }
  })
})
