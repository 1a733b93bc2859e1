// Tried as an attacker and as a heavy user would, through the command itself: the key goes only where
// the user sent it, hostile answers and files end in a clear error, and every command ends (whatever
// its stdin is, and on SIGTERM with the player silenced and the recording discarded). The recorder and
// player are small stand-in programs on PATH; the service is the fake MiMo over real HTTP.
import { spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { isAlive } from '../process-alive'
import { encodeWav } from '../../src/core/audio/wav'
import { startFakeMimo, type FakeMimo } from '../fake-mimo/server'
import { ROOT, runCommand, startCommand, type Run, type RunOptions } from './run-command'

const KEY = 'test-key'
let mimo: FakeMimo
let attacker: FakeMimo
let dir: string
let keyFile: string

/** Stand-ins for the sound programs: `arecord` "hears" a spoken question, `pacat` plays (or hangs) and notes its pid. */
function soundPrograms(player: 'drains' | 'hangs'): string {
  const bin = join(dir, `bin-${player}`)
  if (existsSync(bin)) return bin
  mkdirSync(bin)
  const rate = 16000
  const pcm = new Int16Array(rate * 3)
  for (let i = 0; i < pcm.length; i++) {
    const t = i / rate
    pcm[i] = Math.round(8000 * Math.sin(Math.PI * ((t % 0.3) / 0.3)) ** 2 * Math.sin(2 * Math.PI * 200 * t))
  }
  writeFileSync(join(dir, 'question.raw'), Buffer.from(pcm.buffer))
  writeFileSync(join(bin, 'arecord'), `#!/bin/sh\necho $$ >> ${dir}/recorder.pids\n/bin/cat ${dir}/question.raw\nexec /bin/sleep 600\n`)
  writeFileSync(
    join(bin, 'pacat'),
    `#!/bin/sh\necho $$ >> ${dir}/player.pids\n${player === 'drains' ? 'exec /bin/cat > /dev/null' : 'exec /bin/sleep 600'}\n`
  )
  chmodSync(join(bin, 'arecord'), 0o755)
  chmodSync(join(bin, 'pacat'), 0o755)
  return bin
}

const pids = (name: 'player' | 'recorder'): number[] =>
  existsSync(join(dir, `${name}.pids`)) ? readFileSync(join(dir, `${name}.pids`), 'utf8').trim().split('\n').filter(Boolean).map(Number) : []

function run(args: string[], o: RunOptions = {}): Promise<Run> {
  return runCommand(dir, args, { ...o, env: { MIMO_API_KEY: KEY, ...o.env } })
}
const chats = (fake: FakeMimo): number => fake.requests.filter((r) => r.path.endsWith('/chat/completions')).length

/** Ends the test (and the child) if the command does not end by itself. */
async function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not end within ${ms} ms`)), ms)))
  try {
    return await Promise.race([p, timeout])
  } finally {
    clearTimeout(timer)
  }
}

beforeAll(async () => {
  mimo = await startFakeMimo({ apiKeys: [KEY] })
  attacker = await startFakeMimo({ apiKeys: [KEY] })
  dir = mkdtempSync(join(tmpdir(), 'mimo-voice-hostile-'))
  keyFile = join(dir, 'key.txt')
  writeFileSync(keyFile, `${KEY}\n`, { mode: 0o600 })
})
afterAll(async () => {
  for (const pid of [...pids('player'), ...pids('recorder')]) if (isAlive(pid)) process.kill(pid, 'SIGKILL')
  await mimo.close()
  await attacker.close()
  rmSync(dir, { recursive: true, force: true })
})
beforeEach(() => {
  for (const f of [mimo, attacker]) {
    f.clearRequests()
    f.clearFaults()
  }
  rmSync(join(dir, 'data', 'config.json'), { force: true })
})

/** The app's settings file, as another program (or a compromised window) may have left it. */
/** Sends SIGTERM `afterMs` after `ready()` first holds (looked at every 50 ms); the command's run, within 30 s. */
async function terminatedWhen({ child, done }: ReturnType<typeof startCommand>, ready: () => boolean, afterMs: number, what: string): Promise<Run> {
  const watching = setInterval(() => {
    if (ready()) {
      clearInterval(watching)
      setTimeout(() => child.kill('SIGTERM'), afterMs)
    }
  }, 50)
  return within(30_000, what, done).finally(() => {
    clearInterval(watching)
    child.kill('SIGKILL')
  })
}

function settingsFile(settings: Record<string, unknown>): void {
  mkdirSync(join(dir, 'data'), { recursive: true })
  writeFileSync(join(dir, 'data', 'config.json'), JSON.stringify({ schemaVersion: 2, settings }))
}

describe('the key goes only where the user sent it (the command)', () => {
  it('a base URL in the settings file that is not MiMo is not used: nothing is sent, and the message says how to name it', async () => {
    settingsFile({ baseUrl: attacker.url })
    for (const args of [['ask', '--no-speak', 'Hi'], ['say', '--out', join(dir, 'x.wav'), 'Hello']]) {
      const r = await run(args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr).toContain(`The app's settings send requests to ${attacker.url}, which is not a MiMo host, so the key is not sent there.`)
      expect(r.stderr).toContain(`--base-url ${attacker.url} (or MIMO_BASE_URL)`)
    }
    const doctor = await run(['doctor', '--json'], { env: { PATH: join(dir, 'no-programs') } })
    expect(JSON.parse(doctor.stdout.toString()).checks.find((c: { id: string }) => c.id === 'api')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/not a MiMo host/) })
    expect(attacker.requests).toEqual([])
  })

  it('the same address named for this run (--base-url or MIMO_BASE_URL) is used', async () => {
    settingsFile({ baseUrl: attacker.url })
    expect((await run(['ask', '--no-speak', '--base-url', attacker.url, 'Hi'])).code).toBe(0)
    expect((await run(['ask', '--no-speak', 'Hi'], { env: { MIMO_BASE_URL: attacker.url } })).code).toBe(0)
    expect(attacker.requests.filter((r) => r.headers['api-key'] === KEY)).toHaveLength(2)
  })

  it('plain http to another machine is refused, from a flag or the environment', async () => {
    const flag = await run(['ask', '--no-speak', '--base-url', 'http://attacker.example/v1', 'Hi'])
    expect(flag.code).toBe(2)
    expect(flag.stderr).toMatch(/--base-url "http:\/\/attacker\.example\/v1": The API key would travel unencrypted/)
    const env = await run(['ask', '--no-speak', 'Hi'], { env: { MIMO_BASE_URL: 'http://attacker.example/v1' } })
    expect(env.code).toBe(2)
    expect(env.stderr).toMatch(/MIMO_BASE_URL/)
  })

  it('--api-key-file FILE and a key on stdin work; --api-key works with a warning; a device is not a key file', async () => {
    const base = ['ask', '--no-speak', '--base-url', mimo.url]
    const fromFile = await run([...base, '--api-key-file', keyFile, 'Hi'], { env: { MIMO_API_KEY: '' } })
    expect([fromFile.code, fromFile.stderr]).toEqual([0, ''])
    const fromStdin = await run([...base, '--api-key-file', '-', 'Hi'], { stdin: `${KEY}\n`, env: { MIMO_API_KEY: '' } })
    expect([fromStdin.code, fromStdin.stderr]).toEqual([0, ''])
    const inArgv = await run([...base, '--api-key', KEY, 'Hi'], { env: { MIMO_API_KEY: '' } })
    expect(inArgv.code).toBe(0)
    expect(inArgv.stderr).toMatch(/^Warning: --api-key shows the key to every user of this computer \(ps\)/)
    expect(mimo.requests.filter((r) => r.headers['api-key'] === KEY)).toHaveLength(3)

    const device = await run([...base, '--api-key-file', '/dev/zero', 'Hi'], { env: { MIMO_API_KEY: '' } })
    expect(device.code).toBe(2)
    expect(device.stderr).toMatch(/is not a regular file/)
    const both = await run(['ask', '--no-speak', '--api-key-file', '-'], { stdin: `${KEY}\nWhat time is it?\n` })
    expect(both.code).toBe(2)
    expect(both.stderr).toMatch(/reads the key from stdin: give the question as TEXT/)
  })

  it('an auth error names the host it came from', async () => {
    const r = await run(['ask', '--no-speak', '--base-url', mimo.url, 'Hi'], { env: { MIMO_API_KEY: 'sk-wrong-key' } })
    expect(r.code).toBe(3)
    expect(r.stderr).toContain(`MiMo at ${new URL(mimo.url).host} did not accept the API key.`)
  })
})

describe('hostile answers and files (the command)', () => {
  it('a stream whose line never ends: the command stops reading at 32 MB and exits 3', async () => {
    mimo.injectFault({ kind: 'flood', what: 'sse-line' })
    const r = await within(60_000, 'the command', run(['ask', '--no-speak', '--base-url', mimo.url, 'Hi']))
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(/more than 32 MB in one answer/)
    expect(mimo.requests[0].floodBytes).toBeLessThan(48 * 1024 * 1024)
  })

  it('a WAV that declares 1000 Hz is refused at once, before anything is sent; a device is not an audio file', async () => {
    const hostile = Buffer.from(encodeWav(new Int16Array(512 * 1024), 16000))
    hostile.writeUInt32LE(1000, 24)
    writeFileSync(join(dir, 'hostile.wav'), hostile)
    const r = await run(['ask', '--no-speak', '--base-url', mimo.url, '--audio', join(dir, 'hostile.wav')])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/declares a sample rate of 1000 Hz/)
    const device = await run(['ask', '--no-speak', '--base-url', mimo.url, '--audio', '/dev/zero'])
    expect(device.code).toBe(2)
    expect(device.stderr).toMatch(/is not a regular file/)
    expect(chats(mimo)).toBe(0)
  })
})

describe('every command ends', () => {
  it('ask --mic with stdin a pipe left open: Enter stops the recording, it answers, speaks, and exits', async () => {
    const bin = soundPrograms('drains')
    const { child, done } = startCommand(dir, ['ask', '--mic', '--base-url', mimo.url], { keepStdinOpen: true, env: { PATH: bin, MIMO_API_KEY: KEY } })
    child.stderr.on('data', (d: Buffer) => {
      if (d.toString().includes('press Enter')) setTimeout(() => child.stdin.write('\n'), 500)
    })
    const r = await within(30_000, 'ask --mic with an open stdin', done).finally(() => child.kill('SIGKILL'))
    expect(r.stderr).toContain('(heard: ')
    expect(r.code).toBe(0)
    expect(r.stdout.toString()).toMatch(/short answer/)
    expect(mimo.requests.some((q) => String((q.body as { model?: string }).model).includes('tts'))).toBe(true)
    expect(child.stdin.writableEnded).toBe(false) // the pipe was still open when it ended
  })

  it('ask --mic with stdin closed: it records until its length limit (no Enter can come), answers and exits', async () => {
    settingsFile({ maxRecordingSec: 5 })
    const r = await within(30_000, 'ask --mic with a closed stdin', run(['ask', '--mic', '--no-speak', '--base-url', mimo.url], { env: { PATH: soundPrograms('drains') } }))
    expect(r.stderr).toContain('(No more input: the recording stops after 1.5 s of silence, or at 5 s.)')
    expect(r.code).toBe(0)
    expect(chats(mimo)).toBeGreaterThan(0)
  })

  const hasScript = existsSync('/usr/bin/script')
  if (!hasScript) console.log('Skipping the terminal case: script(1) from util-linux is not installed.')
  it.skipIf(!hasScript)('ask --mic on a terminal: Enter stops the recording, it answers and exits', async () => {
    // script(1) gives the command a pseudo-terminal as stdin; what the test writes is typed into it.
    const bin = soundPrograms('drains')
    const command = [process.execPath, '--import', 'tsx', join(ROOT, 'src/cli/run.ts'), 'ask', '--mic', '--no-speak', '--base-url', mimo.url]
    const child = spawn('/usr/bin/script', ['-qfec', command.map((a) => `'${a}'`).join(' '), '/dev/null'], {
      cwd: ROOT,
      env: { PATH: bin, SHELL: '/bin/sh', HOME: dir, MIMO_VOICE_DATA_DIR: join(dir, 'data'), MIMO_API_KEY: KEY, TERM: 'dumb' },
      stdio: ['pipe', 'pipe', 'pipe']
    })
    let output = ''
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString()
      if (output.includes('press Enter') && !child.stdin.writableEnded) setTimeout(() => child.stdin.write('\r'), 500)
    })
    const code = await within(30_000, 'ask --mic on a terminal', new Promise<number | null>((res) => child.on('close', res))).finally(() => child.kill('SIGKILL'))
    expect(output).toMatch(/short answer/)
    expect(code).toBe(0)
  })

  it('a typed question with stdin a pipe left open exits when answered', async () => {
    const { child, done } = startCommand(dir, ['ask', '--no-speak', '--base-url', mimo.url, 'Hi'], { keepStdinOpen: true, env: { MIMO_API_KEY: KEY } })
    const r = await within(30_000, 'ask with an open stdin', done).finally(() => child.kill('SIGKILL'))
    expect(r.code).toBe(0)
  })

  it('SIGTERM while recording: the recording is discarded (nothing sent), the recorder is gone, exit 143', async () => {
    const bin = soundPrograms('drains')
    const before = pids('recorder').length
    const { child, done } = startCommand(dir, ['ask', '--mic', '--base-url', mimo.url], { keepStdinOpen: true, env: { PATH: bin, MIMO_API_KEY: KEY } })
    child.stderr.on('data', (d: Buffer) => {
      if (d.toString().includes('press Enter')) setTimeout(() => child.kill('SIGTERM'), 500)
    })
    const r = await within(30_000, 'ask --mic after SIGTERM', done).finally(() => child.kill('SIGKILL'))
    expect(r.code).toBe(143)
    expect(chats(mimo)).toBe(0)
    const recorder = pids('recorder').slice(before)
    expect(recorder).toHaveLength(1)
    expect(isAlive(recorder[0])).toBe(false)
  })

  for (const command of ['chat', 'dictate'] as const) {
    it(`SIGTERM while ${command} --mic listens: nothing is sent, the recorder is gone, exit 143`, async () => {
      const bin = soundPrograms('drains')
      const before = pids('recorder').length
      const started = startCommand(dir, [command, '--mic', '--base-url', mimo.url], { keepStdinOpen: true, env: { PATH: bin, MIMO_API_KEY: KEY } })
      const r = await terminatedWhen(started, () => pids('recorder').length > before, 500, `${command} after SIGTERM`)
      expect(r.code, r.stderr).toBe(143)
      expect(chats(mimo)).toBe(0)
      const recorder = pids('recorder').slice(before)
      expect(recorder).toHaveLength(1)
      await new Promise((res) => setTimeout(res, 200))
      expect(isAlive(recorder[0])).toBe(false)
    })
  }

  for (const command of ['ask', 'say'] as const) {
    it(`SIGTERM while ${command} speaks: the player is silenced (its process is gone), exit 143`, async () => {
      const bin = soundPrograms('hangs')
      const before = pids('player').length
      const args = command === 'ask' ? ['ask', '--base-url', mimo.url, 'Hi'] : ['say', '--base-url', mimo.url, 'Hello there. This is a test.']
      const started = startCommand(dir, args, { env: { PATH: bin, MIMO_API_KEY: KEY } })
      const ready = (): boolean => pids('player').length > before && mimo.requests.some((q) => String((q.body as { model?: string }).model).includes('tts'))
      const r = await terminatedWhen(started, ready, 300, `${command} after SIGTERM`)
      expect(r.code).toBe(143)
      const player = pids('player').slice(before)
      expect(player.length).toBeGreaterThan(0)
      await new Promise((res) => setTimeout(res, 200))
      expect(player.filter(isAlive)).toEqual([])
    })
  }
})
