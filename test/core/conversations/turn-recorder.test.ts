/**
 * Turns kept from a real assistant talking to the fake MiMo server over HTTP, in a real database:
 * what is kept per turn, keep audio (MP3 files, removed with their turn, replayed), incognito, a
 * damaged or locked file that never stops a turn, and continuing a kept conversation.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'libsql'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createAssistant, type Assistant } from '../../../src/core/assistant/assistant'
import { UNTRANSCRIBED_QUESTION } from '../../../src/core/assistant/history'
import { createVoiceResolver } from '../../../src/core/assistant/voice-resolver'
import { AudioFolder } from '../../../src/core/conversations/audio-folder'
import type { ConversationsService } from '../../../src/core/conversations/conversations-service'
import { HISTORY_FILE_NAME } from '../../../src/core/conversations/history-database'
import { historyDir, openHistory, type History } from '../../../src/core/conversations/open-history'
import { readMp3Info } from '../../../src/core/audio/mp3'
import { MimoClient } from '../../../src/core/mimo/client'
import type { UserError } from '../../../src/shared/errors'
import { DEFAULT_SETTINGS, type Settings } from '../../../src/shared/settings'
import { startFakeMimo, type FakeMimo, type LoggedRequest } from '../../fake-mimo/server'
import { FakeRecorder, voicePcm } from '../assistant/fake-recorder'
import { RecordingSink, recordingSinks } from '../assistant/recording-sink'
import { tempDir } from './stored-turns'

const TRANSCRIPT = 'What is the weather like in Beijing today?'

let fake: FakeMimo
let client: MimoClient

beforeAll(async () => {
  fake = await startFakeMimo({ reply: 'It is sunny.', transcript: TRANSCRIPT })
  client = new MimoClient({ baseUrl: fake.url, apiKey: 'test-key', retry: { maxAttempts: 1 } })
})
afterAll(async () => {
  await client.close()
  await fake.close()
})

interface Rig {
  assistant: Assistant
  conversations: ConversationsService
  history: History
  recorder: FakeRecorder
  settings: Settings
  problems: UserError[]
  replays: RecordingSink[]
}

let temp: { dir: string; remove(): void }
const open: Rig[] = []

beforeEach(() => {
  temp = tempDir()
})
afterEach(async () => {
  for (const r of open.splice(0)) {
    r.assistant.dispose()
    await r.history.close()
  }
  fake.clearRequests()
  temp.remove()
})

function rig(o: { settings?: Partial<Settings>; speak?: boolean; record?: () => boolean } = {}): Rig {
  const settings: Settings = { ...DEFAULT_SETTINGS, baseUrl: fake.url, ...o.settings }
  const problems: UserError[] = []
  const replays: RecordingSink[] = []
  const recorder = new FakeRecorder()
  const history = openHistory({
    dataDir: temp.dir,
    settings: () => settings,
    record: o.record,
    describe: () => ({ voice: 'mimo_default', model: settings.chatModel }),
    exportDir: () => join(temp.dir, 'exports'),
    createSink: recordingSinks(replays)
  })
  history.events.on('problem', (e) => problems.push(e))
  const { assistant, conversations } = history.connect(
    createAssistant({
      client,
      recorder: history.tap.recorder(recorder),
      createSink: history.tap.sink(async () => new RecordingSink()),
      settings: () => settings,
      voices: createVoiceResolver(),
      speak: () => o.speak ?? false,
      realtimeSink: false
    })
  )
  const r = { assistant, conversations, history, recorder, settings, problems, replays }
  open.push(r)
  return r
}

async function ask(r: Rig, text: string, reply: string): Promise<void> {
  fake.setReply(reply)
  const { turnId } = r.assistant.ask(text)
  const view = await r.assistant.settled(turnId)
  expect(view.status).toBe('done')
  await r.history.recorder.flush()
}

/** Holds the talk key for a spoken question and waits until it, its transcript and its audio are kept. */
async function speak(r: Rig, reply: string): Promise<void> {
  fake.setReply(reply)
  r.recorder.next = { pcm: voicePcm(1200), sampleRate: 16000, durationMs: 1200, heardSpeech: true }
  const state = r.assistant.press()
  await new Promise((resolve) => setTimeout(resolve, 10))
  r.assistant.release()
  await r.assistant.settled(state.turnId!)
  await expect.poll(() => r.assistant.snapshot().turns.find((t) => t.id === state.turnId)?.transcribing).toBe(false)
  await r.history.recorder.flush()
}

const chatBodies = (): Array<{ messages: Array<{ role: string; content: unknown }> }> =>
  fake.requests
    .filter((q: LoggedRequest) => (q.body as { stream?: boolean }).stream === true && !String((q.body as { model?: string }).model).includes('tts'))
    .map((q) => q.body as { messages: Array<{ role: string; content: unknown }> })

describe('keeping turns', () => {
  it('keeps each ended turn with what was asked and answered, in one conversation until a new one starts', async () => {
    const r = rig()
    await ask(r, 'How long should I boil an egg?', 'About nine minutes.')
    await ask(r, 'And a soft one?', 'Six minutes.')
    r.assistant.newConversation()
    await ask(r, 'Tell me a joke.', 'Why did the egg cross the road?')

    const page = r.conversations.list()
    expect(page.conversations.map((c) => [c.title, c.turnCount])).toEqual([
      ['Tell me a joke.', 1],
      ['How long should I boil an egg?', 2]
    ])
    const first = r.conversations.get(page.conversations[1].id)
    expect(first.turns.map((t) => [t.question, t.reply, t.status, t.input])).toEqual([
      ['How long should I boil an egg?', 'About nine minutes.', 'done', 'text'],
      ['And a soft one?', 'Six minutes.', 'done', 'text']
    ])
    const turn = first.turns[0]
    expect(turn.model).toBe('mimo-v2.5')
    expect(turn.voice).toBe('mimo_default')
    expect(turn.timings.firstToken).toBeGreaterThanOrEqual(0)
    expect(turn.timings.done).toBeGreaterThanOrEqual(turn.timings.firstToken!)
    expect(turn.usage?.totalTokens).toBeGreaterThan(0)
    expect(r.problems).toEqual([])
  })

  it('keeps a spoken question by its transcript, which lands after the answer', async () => {
    const r = rig()
    await speak(r, 'It is sunny in Beijing.')
    const [c] = r.conversations.list().conversations
    expect(c.title).toBe(TRANSCRIPT)
    expect(r.conversations.get(c.id).turns[0]).toMatchObject({ input: 'voice', question: TRANSCRIPT, reply: 'It is sunny in Beijing.' })
    expect(r.conversations.search('weather').map((h) => h.conversationId)).toEqual([c.id])
  })

  it('keeps a failed turn with its error', async () => {
    const r = rig()
    fake.injectFault({ kind: 'status', status: 500 }, 1)
    const { turnId } = r.assistant.ask('Will this fail?')
    expect((await r.assistant.settled(turnId)).status).toBe('error')
    await r.history.recorder.flush()
    const [c] = r.conversations.list().conversations
    const [t] = r.conversations.get(c.id).turns
    expect(t.status).toBe('error')
    expect(t.error?.kind).toBe('api')
    expect(t.question).toBe('Will this fail?')
  })

  it('in incognito, and for a turn asked to leave no trace, nothing is kept', async () => {
    const r = rig({ settings: { incognito: true } })
    await ask(r, 'A private question', 'A private answer.')
    expect(r.conversations.list().conversations).toEqual([])
    r.settings.incognito = false
    await ask(r, 'A kept question', 'A kept answer.')
    expect(r.conversations.list().conversations.map((c) => c.title)).toEqual(['A kept question'])

    let record = false
    const quiet = rig({ record: () => record })
    await ask(quiet, 'No trace please', 'Fine.')
    expect(quiet.conversations.search('trace')).toEqual([])
    record = true
  })
})

describe('keep audio', () => {
  it('keeps the recording and the spoken answer as MP3 beside the database, replays them, and deletes them with the turn', async () => {
    const r = rig({ settings: { keepAudio: true }, speak: true })
    await speak(r, 'It is sunny in Beijing, with a light breeze.')
    const [c] = r.conversations.list().conversations
    const [t] = r.conversations.get(c.id).turns
    expect(t.audio).toEqual({ question: true, answer: true })
    const audioDir = join(historyDir(temp.dir), 'audio')
    const files = readdirSync(audioDir).sort()
    expect(files).toEqual([AudioFolder.fileName(t.id, 'answer'), AudioFolder.fileName(t.id, 'question')])

    const question = readMp3Info(readFileSync(join(audioDir, AudioFolder.fileName(t.id, 'question'))))!
    expect(question.sampleRate).toBe(16000)
    expect(question.durationSec).toBeGreaterThan(1.1)
    expect(question.durationSec).toBeLessThan(1.5)
    const answerBytes = readFileSync(join(audioDir, AudioFolder.fileName(t.id, 'answer')))
    const answer = readMp3Info(answerBytes)!
    // LAME picks 22.05 kHz for speech at 32 kbit/s; replay resamples to the player's 24 kHz.
    expect([22050, 24000]).toContain(answer.sampleRate)
    expect(answer.durationSec).toBeGreaterThan(0.5)
    // Compact: 32 kbit/s, about a twelfth of the 24 kHz PCM16 it came from.
    expect(answerBytes.length).toBeLessThan(answer.durationSec * 48_000 * 0.15)

    const played = await r.conversations.replay(t.id, 'answer')
    expect(played.durationMs / 1000).toBeCloseTo(answer.durationSec, 0)
    expect(r.replays.at(-1)!.bytesWritten).toBeGreaterThan(answer.durationSec * 48_000 * 0.9)

    r.conversations.remove(c.id)
    expect(readdirSync(audioDir)).toEqual([])
  })

  it('is off by default: no audio files, and replay says why', async () => {
    const r = rig({ speak: true })
    await speak(r, 'Sunny.')
    const [c] = r.conversations.list().conversations
    const [t] = r.conversations.get(c.id).turns
    expect(t.audio).toEqual({ question: false, answer: false })
    expect(existsSync(join(historyDir(temp.dir), 'audio'))).toBe(false)
    await expect(r.conversations.replay(t.id, 'answer')).rejects.toMatchObject({ what: 'audio' })
  })
})

describe('a damaged or locked file', () => {
  it('a damaged file is set aside, a new one started, the turn goes on, and the problem is told once', async () => {
    const dir = historyDir(temp.dir)
    const r0 = rig()
    await ask(r0, 'Before the damage', 'Fine.')
    r0.history.database.close()
    // Garbage over the whole file, as a disk fault would leave it.
    writeFileSync(join(dir, HISTORY_FILE_NAME), Buffer.alloc(16384, 0x5a))
    for (const suffix of ['-wal', '-shm']) rmSync(join(dir, HISTORY_FILE_NAME + suffix), { force: true })

    const r = rig()
    await ask(r, 'After the damage', 'Still answered.')
    await ask(r, 'And again', 'Still here.')
    expect(r.problems).toHaveLength(1)
    expect(r.problems[0].message).toMatch(/damaged.*set aside.*new one started/)
    const aside = readdirSync(dir).filter((f) => f.startsWith(`${HISTORY_FILE_NAME}.damaged-`))
    expect(aside.length).toBeGreaterThan(0)
    expect(r.conversations.list().conversations.map((c) => [c.title, c.turnCount])).toEqual([['After the damage', 2]])
  })

  it('a file locked by another program: the turn goes on, the problem is told once, later turns are kept again', async () => {
    const r = rig()
    await ask(r, 'First question', 'First answer.')
    const other = new Database(join(historyDir(temp.dir), HISTORY_FILE_NAME))
    other.exec('BEGIN IMMEDIATE')
    await ask(r, 'While locked', 'Answered anyway.')
    await ask(r, 'Still locked', 'Answered again.')
    expect(r.problems.map((p) => p.message)).toEqual(['The history file is in use by another program, so this turn was not kept.'])
    other.exec('ROLLBACK')
    other.close()
    await ask(r, 'Unlocked', 'Kept again.')
    const [c] = r.conversations.list().conversations
    expect(r.conversations.get(c.id).turns.map((t) => t.question)).toEqual(['First question', 'Unlocked'])
  })
})

describe('continuing a kept conversation', () => {
  it("sends the kept turns as the history, shows them, and adds the new turns to the same conversation", async () => {
    const first = rig()
    await ask(first, 'How long should I boil an egg?', 'About nine minutes.')
    await speak(first, 'It is sunny in Beijing.')
    const id = first.conversations.list().conversations[0].id
    first.assistant.newConversation()
    await ask(first, 'Something else entirely', 'Sure.')
    first.assistant.dispose()
    await first.history.close()
    open.splice(open.indexOf(first), 1)

    // As after a restart: a new assistant over the same file.
    const r = rig({ settings: { systemPrompt: 'Be brief.' } })
    const snapshot = r.conversations.continue(id)
    expect(snapshot.turns.map((t) => [t.question, t.reply, t.status])).toEqual([
      ['How long should I boil an egg?', 'About nine minutes.', 'done'],
      [TRANSCRIPT, 'It is sunny in Beijing.', 'done']
    ])
    fake.clearRequests()
    await ask(r, 'And tomorrow?', 'Cloudy.')
    expect(chatBodies().at(-1)!.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'How long should I boil an egg?' },
      { role: 'assistant', content: 'About nine minutes.' },
      { role: 'user', content: TRANSCRIPT },
      { role: 'assistant', content: 'It is sunny in Beijing.' },
      { role: 'user', content: 'And tomorrow?' }
    ])
    expect(r.conversations.get(id).turns.map((t) => t.question)).toEqual(['How long should I boil an egg?', TRANSCRIPT, 'And tomorrow?'])
    // A new conversation after that is a new one again.
    r.assistant.newConversation()
    await ask(r, 'Fresh start', 'OK.')
    expect(r.conversations.get(id).turnCount).toBe(3)
  })

  it('a question never transcribed goes in as a spoken question, and an interrupted answer as far as it was heard', async () => {
    const r = rig()
    const c = r.history.database.use((s) => {
      const conv = s.createConversation(Date.now())
      s.addTurn(conv, {
        turnKey: 'k1', startedAt: Date.now(), input: 'voice', question: null, fileName: null, reply: 'A long answer that was cut.',
        spoken: 'A long answer', status: 'stopped', voice: null, model: null, timings: {}, usage: null, sources: [], searchError: null, toolCalls: [], error: null
      })
      return conv
    })
    r.conversations.continue(c)
    fake.clearRequests()
    await ask(r, 'Go on', 'Going on.')
    expect(chatBodies().at(-1)!.messages.slice(-3)).toEqual([
      { role: 'user', content: UNTRANSCRIBED_QUESTION },
      { role: 'assistant', content: 'A long answer' },
      { role: 'user', content: 'Go on' }
    ])
  })
})
