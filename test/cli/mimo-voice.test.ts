import { Readable, Writable } from 'node:stream'
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startFakeMimo, type FakeMimo } from '../fake-mimo/server'
import { decodeWav, encodeWav } from '../../src/core/audio/wav'
import { measureLevel } from '../../src/core/audio/level'
import { main } from '../../src/cli/index'
import { ROOT, runCommand, type Run, type RunOptions } from './run-command'

const BUNDLE = join(ROOT, 'out/cli/mimo-voice.mjs')
const REPLY = 'Beijing is sunny today. The high is twenty-five degrees. Enjoy your afternoon.'
const TRANSCRIPT = 'What is the weather like in Beijing today?'

let fake: FakeMimo
let dir: string

/** Runs the command from source (node + tsx), as a user would, with its own config folders. */
function run(args: string[], o: RunOptions = {}): Promise<Run> {
  return runCommand(dir, args, o)
}

/** The fake's address, and the key from a file (as a careful user passes it: not in argv, where ps shows it). */
const api = (): string[] => ['--base-url', fake.url, '--api-key-file', join(dir, 'key.txt')]
const chatCount = (): number => fake.requests.filter((r) => r.path.endsWith('/chat/completions')).length

beforeAll(async () => {
  fake = await startFakeMimo({ reply: REPLY, transcript: TRANSCRIPT })
  dir = mkdtempSync(join(tmpdir(), 'mimo-voice-cli-'))
  writeFileSync(join(dir, 'key.txt'), 'test-key\n', { mode: 0o600 })
})
afterAll(async () => {
  await fake.close()
  rmSync(dir, { recursive: true, force: true })
})
beforeEach(() => {
  fake.clearFaults()
  fake.clearRequests()
})

describe('mimo-voice: usage', () => {
  it('--help prints the usage and exits 0', async () => {
    const r = await run(['--help'])
    expect(r.code).toBe(0)
    expect(r.stdout.toString()).toMatch(/^Usage: mimo-voice <command>/)
    expect(r.stdout.toString()).toContain('--out FILE.wav')
  })

  it('refuses a bad command line with exit 2 and a short message', async () => {
    // Argument checks run in-process (the same main() the command runs); one child run proves the exit code.
    const cases = [
      ['frobnicate'],
      ['ask', '--voice', 'Mia', '--design', 'deep voice', 'hi'],
      ['ask', '--bogus'],
      ['say'],
      ['ask', '--auth', 'magic', 'hi'],
      ['ask', '--base-url', 'ftp://x', 'hi'],
      ['ask', '--mic', 'and text'],
      ['ask', '--out', 'a.wav', '--no-speak', 'hi'],
      ['doctor', 'extra'],
      ['ask', '--quick', 'first'],
      ['say', '--quick', '1', 'hi'],
      ['ask', '--upload-format', 'flac', 'hi'],
      ['say', '--upload-format', 'compact', 'hi']
    ]
    for (const args of cases) {
      const r = await runInProcess(args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr).toMatch(/^mimo-voice: .+\nRun `mimo-voice --help`/)
    }
    const child = await run(['ask', '--voice', 'Mia', '--clone', 'x.wav', 'hi'])
    expect(child.code).toBe(2)
    expect(child.stderr).toContain('Choose one of --voice, --clone and --design.')
    expect(chatCount()).toBe(0)
  })
})

describe('mimo-voice ask', () => {
  it('--out FILE.wav writes a valid WAV with speech and streams the reply to stdout', async () => {
    const wav = join(dir, 'answer.wav')
    const r = await run(['ask', ...api(), '--out', wav, 'What is the weather like?'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout.toString()).toBe(`${REPLY}\n`)
    const decoded = decodeWav(readFileSync(wav))
    expect(decoded.sampleRate).toBe(24000)
    expect(decoded.channels).toBe(1)
    expect(decoded.frames / decoded.sampleRate).toBeGreaterThan(3)
    const pcm = Int16Array.from(decoded.samples[0], (s) => Math.round(s * 32767))
    expect(measureLevel(pcm).rmsDbfs).toBeGreaterThan(-40)
    // One streamed chat request, then speech in the default built-in voice.
    const tts = fake.requests.filter((q) => String((q.body as { model?: string }).model).includes('tts'))
    expect(tts.length).toBeGreaterThanOrEqual(3)
  })

  it('--out - sends raw PCM16 on stdout and all text to stderr', async () => {
    const r = await run(['ask', ...api(), '--out', '-', 'Hello?'])
    expect(r.code).toBe(0)
    expect(r.stderr).toBe(`${REPLY}\n`)
    expect(r.stdout.length).toBeGreaterThan(24000 * 2 * 3)
    expect(r.stdout.length % 2).toBe(0)
    const pcm = new Int16Array(r.stdout.buffer, r.stdout.byteOffset, r.stdout.length / 2)
    expect(measureLevel(pcm).rmsDbfs).toBeGreaterThan(-40)
  })

  it('--json prints one object at the end: reply, transcript, timings, usage', async () => {
    const question = join(dir, 'question.wav')
    writeFileSync(question, encodeWav(tone(1.5), 16000))
    const r = await run(['ask', ...api(), '--json', '--out', join(dir, 'json.wav'), '--audio', question])
    expect(r.code).toBe(0)
    const lines = r.stdout.toString().trim().split('\n')
    expect(lines).toHaveLength(1)
    const out = JSON.parse(lines[0])
    expect(out).toMatchObject({ status: 'done', input: 'file', reply: REPLY, spoken: REPLY, transcript: TRANSCRIPT, exitCode: 0 })
    for (const k of ['requestSent', 'firstToken', 'firstSentence', 'firstTtsRequest', 'firstAudio', 'done', 'connectMs', 'uploadMs'])
      expect(out.timings[k], k).toBeTypeOf('number')
    expect(out.usage.totalTokens).toBeGreaterThan(0)
    expect(out.usage.audioTokens).toBeGreaterThan(0)
    expect(out.audio.bytes).toBeGreaterThan(0)
    // The file went up as audio with the instruction text beside it.
    const chat = fake.requests.find((q) => (q.body as { stream?: boolean }).stream === true && (q.body as { model: string }).model === 'mimo-v2.5')!
    const user = (chat.body as { messages: Array<{ role: string; content: Array<{ type: string }> }> }).messages.at(-1)!
    expect(user.content.map((p) => p.type)).toEqual(['input_audio', 'text'])
    // A WAV goes as a recording does: compact (MP3) by default, as it is with --upload-format lossless.
    expect(chat.audio![0].container).toBe('mp3')
    fake.clearRequests()
    const lossless = await runInProcess(['ask', ...api(), '--no-speak', '--upload-format', 'lossless', '--audio', question])
    expect(lossless.code).toBe(0)
    const sent = fake.requests.find((q) => (q.body as { stream?: boolean }).stream === true)!
    expect(sent.audio![0]).toMatchObject({ container: 'wav', seconds: 1.5 })
  })

  it('takes the question on stdin, the model and thinking from flags, and the voice and style from the app settings', async () => {
    const configDir = join(dir, 'data') // MIMO_VOICE_DATA_DIR: settings and voices share it
    mkdirSync(configDir, { recursive: true })
    writeFileSync(
      join(configDir, 'config.json'),
      JSON.stringify({ schemaVersion: 2, settings: { voice: { kind: 'builtin', id: 'Dean' }, speakingStyle: 'Slow and warm.', systemPrompt: 'Be brief.' } })
    )
    try {
      const r = await run(['ask', ...api(), '--model', 'mimo-v2.5-pro', '--thinking', '--out', join(dir, 'stdin.wav')], { stdin: 'Is it sunny?\n' })
      expect(r.code).toBe(0)
      const chat = fake.requests.find((q) => (q.body as { model: string }).model === 'mimo-v2.5-pro')!
      const body = chat.body as { messages: Array<{ role: string; content: string }>; thinking: unknown }
      expect(body.thinking).toEqual({ type: 'enabled' })
      expect(body.messages).toEqual([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Is it sunny?' }
      ])
      const tts = fake.requests.find((q) => String((q.body as { model: string }).model).includes('tts'))!
      const ttsBody = tts.body as { audio: { voice: string }; messages: Array<{ role: string; content: string }> }
      expect(ttsBody.audio.voice).toBe('Dean')
      expect(ttsBody.messages[0]).toEqual({ role: 'user', content: 'Slow and warm.' })
    } finally {
      rmSync(join(configDir, 'config.json'))
    }
  })

  it('--quick N asks a quick question from the settings; --quick list shows them', async () => {
    const list = await runInProcess(['ask', '--quick', 'list'])
    expect(list.code).toBe(0)
    expect(list.stdout.split('\n')[0]).toBe('1. What time is it in Beijing right now, and what is the date?')
    const r = await runInProcess(['ask', ...api(), '--no-speak', '--json', '--quick', '3'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ question: 'Tell me a short, clean joke.', reply: REPLY })
    const tooFar = await runInProcess(['ask', ...api(), '--quick', '99'])
    expect(tooFar.code).toBe(2)
  })

  it('--no-speak answers in text only', async () => {
    const r = await run(['ask', ...api(), '--no-speak', 'Hi'])
    expect(r.code).toBe(0)
    expect(r.stdout.toString()).toBe(`${REPLY}\n`)
    expect(fake.requests.every((q) => !String((q.body as { model: string }).model).includes('tts'))).toBe(true)
  })
})

describe('mimo-voice: exit codes', () => {
  it('3 for an API error, with the service param text in the message', async () => {
    fake.injectFault({ kind: 'status', status: 400 })
    const r = await run(['ask', ...api(), '--no-speak', 'Hi'])
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('injected fault')
    const bad = await run(['ask', '--base-url', fake.url, '--api-key', 'wrong-key', '--no-speak', 'Hi'])
    expect(bad.code).toBe(3)
    expect(bad.stderr).toMatch(/did not accept the API key/)
  })

  it('3 when the service cannot be reached', async () => {
    const r = await run(['ask', '--base-url', 'http://127.0.0.1:9/v1', '--api-key-file', join(dir, 'key.txt'), '--no-speak', 'Hi'])
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(/^Error: /)
  })

  it('2 for a missing key, a missing file, a non-audio file or an oversized clone sample, before any request', async () => {
    const noKey = await run(['ask', '--base-url', fake.url, '--no-speak', 'Hi'])
    expect(noKey.code).toBe(2)
    expect(noKey.stderr).toContain('MIMO_API_KEY')

    // The file checks run in-process: the same main(), the same fake server, no child start-up.
    const missing = await runInProcess(['ask', ...api(), '--audio', join(dir, 'nope.wav')])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('does not exist')

    const notAudio = join(dir, 'notes.txt')
    writeFileSync(notAudio, 'just some words, not a recording')
    const r = await runInProcess(['ask', ...api(), '--audio', notAudio, '--out', join(dir, 'x.wav')])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/not a recording MiMo can hear/)

    const cloneNotAudio = await runInProcess(['say', ...api(), '--clone', notAudio, '--out', join(dir, 'y.wav'), 'Hello'])
    expect(cloneNotAudio.code).toBe(2)

    // 170 s of 24 kHz audio: over 10 MB once in base64.
    const big = join(dir, 'big.wav')
    writeFileSync(big, encodeWav(tone(170, 24000), 24000))
    const tooBig = await runInProcess(['say', ...api(), '--clone', big, '--out', join(dir, 'z.wav'), 'Hello'])
    expect(tooBig.code).toBe(2)
    expect(tooBig.stderr).toMatch(/audio\.voice|10 MB|too (big|large|long)/i)
    expect(chatCount()).toBe(0)
  })

  it('4 when there is no recorder for --mic', async () => {
    const r = await run(['ask', ...api(), '--mic', '--no-speak'], { env: { PATH: join(dir, 'empty-bin') } })
    expect(r.code).toBe(4)
    expect(r.stderr).toMatch(/recorder/i)
    expect(chatCount()).toBe(0)
  })
})

describe('mimo-voice say and voices', () => {
  it('say speaks the text in a designed voice to a WAV file', async () => {
    const wav = join(dir, 'say.wav')
    const r = await run(['say', ...api(), '--design', 'A calm, low voice.', '--json', '--out', wav, 'Hello there. This is a test.'])
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout.toString())
    expect(out).toMatchObject({ status: 'done', sentences: ['Hello there.', 'This is a test.'], exitCode: 0 })
    expect(decodeWav(readFileSync(wav)).frames).toBeGreaterThan(24000)
    const tts = fake.requests.filter((q) => (q.body as { model: string }).model === 'mimo-v2.5-tts-voicedesign')
    expect(tts).toHaveLength(2)
  })

  it('voices lists the built-in voices', async () => {
    const r = await run(['voices'])
    expect(r.code).toBe(0)
    for (const id of ['mimo_default', 'Mia', 'Dean']) expect(r.stdout.toString()).toContain(id)
  })
})

describe('the built command', () => {
  it.skipIf(!existsSync(BUNDLE))('bin/mimo-voice.mjs runs the bundle', async () => {
    const r = await run(['--help'], { entry: 'bin' })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout.toString()).toMatch(/^Usage: mimo-voice/)
  })
  it.skipIf(!existsSync(BUNDLE))('the built command decodes in its bundled worker, and refuses a hostile header at once', async () => {
    const sample = join(dir, 'bundle-sample.wav')
    writeFileSync(sample, encodeWav(tone(6, 48000), 48000))
    const r = await run(['voices', 'check', sample, '--json'], { entry: 'bin' })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout.toString())).toMatchObject({ inputFormat: 'wav', sampleRate: 48000, refusals: [] })
    const hostile = Buffer.from(encodeWav(tone(1, 16000), 16000))
    hostile.writeUInt32LE(1000, 24)
    writeFileSync(sample, hostile)
    const refused = await run(['voices', 'check', sample], { entry: 'bin' })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/declares a sample rate of 1000 Hz/)
  })
  if (!existsSync(BUNDLE)) console.log(`Skipping the bundle check: ${BUNDLE} is not built (npm run build:cli).`)
})

/** main() in this process, with captured streams (for argument checks only: no request is made). */
async function runInProcess(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const sink = (add: (s: string) => void): NodeJS.WritableStream => new Writable({ write: (chunk, _enc, cb) => (add(String(chunk)), cb()) })
  const code = await main(args, {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    stdin: Readable.from([]),
    env: { HOME: dir, XDG_CONFIG_HOME: join(dir, 'config'), MIMO_VOICE_DATA_DIR: join(dir, 'data'), MIMO_API_KEY: 'test-key' }
  })
  return { code, stdout, stderr }
}

/** A voiced tone, for questions and clone samples. */
function tone(seconds: number, rate = 16000): Int16Array {
  const n = Math.round(seconds * rate)
  const pcm = new Int16Array(n)
  for (let i = 0; i < n; i++) {
    const t = i / rate
    pcm[i] = Math.round(8000 * Math.sin(Math.PI * ((t % 0.3) / 0.3)) ** 2 * Math.sin(2 * Math.PI * 200 * t))
  }
  return pcm
}
