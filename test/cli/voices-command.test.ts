import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { runVoicesCommand, type VoicesCommandDeps } from '../../src/cli/voices-command'
import { userDataDir } from '../../src/core/app-paths'
import { voicesDir } from '../../src/core/voices/voice-paths'
import { WavFileSink } from '../../src/core/audio/player'
import { decodeWav } from '../../src/core/audio/wav'
import { MimoClient } from '../../src/core/mimo/client'
import { DEFAULT_SETTINGS } from '../../src/shared/settings'
import { startFakeMimo } from '../fake-mimo/server'
import { makeSampleFiles, writeSample, type SampleFiles } from '../core/voices/sample-files'

let files: SampleFiles
let dataDir: string
beforeAll(() => {
  files = makeSampleFiles()
})
afterAll(() => files.cleanup())
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'mimo-voice-data-'))
})
afterEach(() => rmSync(dataDir, { recursive: true, force: true }))

async function run(argv: string[], extra: Partial<VoicesCommandDeps> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await runVoicesCommand(argv, {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env: { MIMO_VOICE_DATA_DIR: dataDir },
    ...extra
  })
  return { code, out, err }
}

const voicesFolder = (): string => join(dataDir, 'voices')
const savedWavs = (): string[] => (existsSync(voicesFolder()) ? readdirSync(voicesFolder()).filter((f) => f.endsWith('.wav')) : [])

describe('mimo-voice voices', () => {
  it('adds a sample with --consent, printing its figures, then lists and removes it', async () => {
    const add = await run(['add', 'Alex', files.path('stereo48k'), '--consent'])
    expect(add.err).toBe('')
    expect(add.code).toBe(0)
    expect(add.out).toMatch(/input\s+WAV, 48000 Hz, 2 channels, 16-bit/)
    expect(add.out).toMatch(/saved as\s+48000 Hz mono 16-bit WAV/)
    expect(add.out).toMatch(/noise estimate\s+-?\d/)
    expect(add.out).toMatch(/Saved 'Alex'/)
    expect(savedWavs()).toHaveLength(1)
    const meta = JSON.parse(readFileSync(join(voicesFolder(), 'voices.json'), 'utf8'))
    expect(meta.voices.map((v: { name: string; kind: string }) => [v.name, v.kind])).toEqual([['Alex', 'clone']])

    const list = await run(['list'])
    expect(list.code).toBe(0)
    expect(list.out).toMatch(/Built-in voices:[\s\S]*Mia[\s\S]*Saved voices[\s\S]*Alex\s+clone, \d+\.\d s/)
    const json = await run(['--json'])
    const voices = JSON.parse(json.out)
    expect(voices.filter((v: { ref: { kind: string } }) => v.ref.kind === 'builtin')).toHaveLength(9)
    expect(voices.at(-1)).toMatchObject({ ref: { kind: 'clone' }, name: 'Alex' })

    const rm = await run(['rm', 'alex'])
    expect(rm.code).toBe(0)
    expect(rm.out).toMatch(/Deleted 'Alex' and its sample/)
    expect(savedWavs()).toEqual([])
    expect((await run(['list'])).out).toMatch(/No saved voices yet/)
  })

  it('refuses a bad sample with exit 2 and saves nothing', async () => {
    const short = await run(['add', 'Shorty', files.path('short'), '--consent'])
    expect(short.code).toBe(2)
    expect(short.err).toMatch(/Refused: .*at least 3 s/)
    const text = writeSample(files, 'notes.wav', 'not audio, only words\n'.repeat(30))
    const notAudio = await run(['add', 'Notes', text, '--consent'])
    expect(notAudio.code).toBe(2)
    expect(notAudio.err).toMatch(/'notes\.wav' is not a WAV or MP3 file \(it holds text\)/)
    expect(notAudio.out).toMatch(/not measured: durationSec/)
    expect(savedWavs()).toEqual([])
  })

  it('needs --consent when not interactive, and asks when it is', async () => {
    const noConsent = await run(['add', 'Alex', files.path('speech')])
    expect(noConsent.code).toBe(2)
    expect(noConsent.err).toMatch(/--consent/)
    expect(savedWavs()).toEqual([])

    const asked: string[] = []
    const declined = await run(['add', 'Alex', files.path('speech')], { confirm: async (q) => (asked.push(q), false) })
    expect(declined.code).toBe(2)
    expect(asked[0]).toMatch(/your voice/)
    expect(savedWavs()).toEqual([])

    const accepted = await run(['add', 'Alex', files.path('mp3')], { confirm: async () => true })
    expect(accepted.code).toBe(0)
    expect(accepted.out).toMatch(/input\s+MP3, 22050 Hz, 1 channel,/)
    expect(savedWavs()).toHaveLength(1)
  })

  it('refuses a taken name before measuring, designs, renames and reports usage errors', async () => {
    expect((await run(['design', 'Narrator', 'A', 'calm', 'low', 'voice.'])).code).toBe(0)
    const taken = await run(['add', 'narrator', files.path('speech'), '--consent'])
    expect(taken.code).toBe(2)
    expect(taken.err).toMatch(/already a voice named 'Narrator'/)
    expect(taken.out).toBe('')
    expect((await run(['rename', 'Narrator', 'Teller'])).out).toMatch(/Renamed 'Narrator' to 'Teller'/)
    expect((await run(['list'])).out).toMatch(/Teller\s+design: A calm low voice\./)
    const missing = await run(['rm', 'Nobody'])
    expect(missing.code).toBe(2)
    expect(missing.err).toMatch(/no saved voice named 'Nobody'/)
    expect((await run(['add', 'OnlyName'])).code).toBe(2)
    expect((await run(['frobnicate'])).code).toBe(2)
    expect((await run(['list', '--bogus'])).err).toMatch(/Unknown option --bogus/)
  })

  it('reports a missing sample file in the list', async () => {
    await run(['add', 'Alex', files.path('speech'), '--consent'])
    rmSync(join(voicesFolder(), savedWavs()[0]))
    expect((await run(['list'])).out).toMatch(/Alex\s+clone, .*\[PROBLEM: The sample file is missing\.\]/)
  })

  it('cannot preview without the service', async () => {
    const r = await run(['preview', 'Mia'])
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/MIMO_API_KEY/)
  })

  it('previews a saved clone through the service', async () => {
    const fake = await startFakeMimo()
    const client = new MimoClient({ baseUrl: fake.url, apiKey: 'test-key', retry: { maxAttempts: 1 } })
    try {
      await run(['add', 'Alex', files.path('speech'), '--consent'])
      const played = join(dataDir, 'played.wav')
      const preview = { client: () => client, createSink: async () => new WavFileSink(played), settings: () => DEFAULT_SETTINGS }
      const r = await run(['preview', 'alex', 'Testing', 'the', 'clone.'], { preview })
      expect(r.err).toBe('')
      expect(r.code).toBe(0)
      expect(r.out).toMatch(/Played \d+\.\d s of speech/)
      expect(fake.requests).toHaveLength(1)
      const body = fake.requests[0].body as { model: string; audio: { voice: string }; messages: unknown[] }
      expect(body.model).toBe('mimo-v2.5-tts-voiceclone')
      expect(body.audio.voice).toBe(`data:audio/wav;base64,${readFileSync(join(voicesFolder(), savedWavs()[0])).toString('base64')}`)
      expect(body.messages).toEqual([{ role: 'assistant', content: 'Testing the clone.' }])
      expect(decodeWav(readFileSync(played)).frames).toBeGreaterThan(24000)
    } finally {
      await client.close()
      await fake.close()
    }
  })
})

describe('voices folder', () => {
  it("is the app's userData voices/ folder on each platform, or under MIMO_VOICE_DATA_DIR", () => {
    expect(voicesDir({ env: {}, platform: 'linux', homedir: '/home/ann' })).toBe('/home/ann/.config/mimo-voice/voices')
    expect(voicesDir({ env: { XDG_CONFIG_HOME: '/x/cfg' }, platform: 'linux', homedir: '/home/ann' })).toBe('/x/cfg/mimo-voice/voices')
    expect(voicesDir({ env: {}, platform: 'darwin', homedir: '/Users/ann' })).toBe(
      '/Users/ann/Library/Application Support/mimo-voice/voices'
    )
    expect(voicesDir({ env: { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, platform: 'win32', homedir: 'C:\\Users\\ann' })).toBe(
      'C:\\Users\\ann\\AppData\\Roaming\\mimo-voice\\voices'
    )
    expect(userDataDir({ env: { MIMO_VOICE_DATA_DIR: '/tmp/t1' }, platform: 'linux', homedir: '/home/ann' })).toBe('/tmp/t1')
    expect(voicesDir({ env: { MIMO_VOICE_DATA_DIR: '/tmp/t1' }, platform: 'linux', homedir: '/home/ann' })).toBe('/tmp/t1/voices')
  })
})
