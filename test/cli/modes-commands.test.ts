// `mimo-voice chat` and `mimo-voice dictate`: their command lines, and dictating a file against the
// fake MiMo (the microphone and --type run on the audio stack and under Xvfb: test/audio-stack).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeMimo, type FakeMimo } from '../fake-mimo/server'
import { encodeWav } from '../../src/core/audio/wav'
import { voicePcm } from '../core/assistant/fake-recorder'
import { runMain } from './cli-io'

const SAID = 'Remind me to call the bank at nine.'
let fake: FakeMimo
let home: string

beforeAll(async () => {
  fake = await startFakeMimo({ transcript: SAID, reply: 'AN ANSWER' })
  home = mkdtempSync(join(tmpdir(), 'mimo-voice-modes-'))
})
afterAll(async () => {
  await fake.close()
  rmSync(home, { recursive: true, force: true })
})

const api = () => ['--base-url', fake.url, '--api-key', 'test-key']

describe('mimo-voice chat and dictate: the command line', () => {
  it.each([
    [['chat'], /chat --mic/],
    [['chat', '--mic', 'hello'], /microphone only/],
    [['chat', '--mic', '--out', 'x.wav'], /--out belongs to ask and say/],
    [['dictate'], /one of: --mic or --audio FILE/],
    [['dictate', '--mic', '--audio', 'a.wav'], /one of: --mic or --audio FILE/],
    [['ask', '--type', 'hello'], /--type belongs to dictate/],
    [['dictate', '--mic', '--screen'], /--screen, --window, --selection, --clipboard and --image belong to ask and chat/],
    [['say', '--image', 'a.png', 'hello'], /--screen, --window, --selection, --clipboard and --image belong to ask and chat/]
  ])('%j is refused with exit 2', async (args, message) => {
    const r = await runMain(args, { home })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
  })

  it('the usage names both', async () => {
    const r = await runMain(['--help'], { home })
    expect(r.stdout).toMatch(/chat --mic +a hands-free conversation/)
    expect(r.stdout).toMatch(/dictate --mic +dictation/)
  })
})

describe('mimo-voice dictate --audio', () => {
  it('prints the words as said (transcribed, not answered); --json says how and how long', async () => {
    const file = join(home, 'note.wav')
    writeFileSync(file, encodeWav(voicePcm(1500), 16000))
    const r = await runMain(['dictate', ...api(), '--audio', file], { home })
    expect(r).toMatchObject({ code: 0, stdout: `${SAID}\n` })
    const requests = fake.requests.filter((q) => q.path.endsWith('/chat/completions'))
    expect(requests).toHaveLength(1)
    expect(JSON.stringify(requests[0].body)).toContain('Transcribe this dictation')

    const j = await runMain(['dictate', ...api(), '--audio', file, '--json'], { home })
    const out = JSON.parse(j.stdout)
    expect(out).toMatchObject({ text: SAID, insert: 'none' })
    expect(out.timings.transcribed).toBeTypeOf('number')
  })

  it('--type with no desktop to type into: the text is still printed, the reason is given, exit 2', async () => {
    const file = join(home, 'note2.wav')
    writeFileSync(file, encodeWav(voicePcm(1000), 16000))
    const r = await runMain(['dictate', ...api(), '--audio', file, '--type'], { home, env: { DISPLAY: '', WAYLAND_DISPLAY: '' } })
    expect(r.stdout).toBe(`${SAID}\n`)
    expect(r.stderr).toMatch(/no desktop clipboard here/i)
    expect(r.code).toBe(2)
  })

  it('each dictation is kept in the history (a conversation titled "Dictation"); --no-history keeps none', async () => {
    const file = join(home, 'kept.wav')
    writeFileSync(file, encodeWav(voicePcm(1000), 16000))
    const before = JSON.parse((await runMain(['history', 'list', '--json'], { home })).stdout).length as number
    expect((await runMain(['dictate', ...api(), '--audio', file], { home })).code).toBe(0)
    expect((await runMain(['dictate', ...api(), '--audio', file, '--no-history'], { home })).code).toBe(0)
    const list = JSON.parse((await runMain(['history', 'list', '--json'], { home })).stdout) as Array<{ title: string | null }>
    expect(list.length).toBe(before + 1)
    expect(list[0].title).toBe('Dictation')
    const found = await runMain(['history', 'search', 'bank'], { home })
    expect(found.stdout).toContain('Remind me to call the bank at nine.')
  })

  it('an API error exits 3 with the reason', async () => {
    const file = join(home, 'note3.wav')
    writeFileSync(file, encodeWav(voicePcm(1000), 16000))
    fake.injectFault({ kind: 'status', status: 401 })
    const r = await runMain(['dictate', ...api(), '--audio', file], { home })
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(/key/i)
  })
})
