// Nothing is lost on a crash: a child process runs one save, rename or delete through the real stores
// (settings, saved voices and their list, the key file) and kills itself before a random one of its
// file-system calls; after every kill each file must still read back whole.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { moveAside, writeFileAtomically, writeFileAtomicallyAsync } from '../../src/core/atomic-file'
import { createConfSettingsStore } from '../../src/core/settings/conf-settings-store'
import { StoredSettingsService } from '../../src/core/settings/settings-service'
import { JsonFileVoiceMetadataStore } from '../../src/core/voices/voice-metadata-store'
import { VoiceStore } from '../../src/core/voices/voice-store'

const CHILD = resolve(__dirname, 'atomic-file-crash-child.ts')
const OPERATIONS = 6
const RUNS = 50
const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'mimo-atomic-'))
  dirs.push(d)
  return d
}

interface ChildRun {
  op: string
  signal: NodeJS.Signals | null
  code: number | null
  calls?: number
  stderr: string
}

function runChild(dataDir: string, op: number, killAt: number, seed: number): Promise<ChildRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { PATH: process.env.PATH, DATA_DIR: dataDir, OP: String(op), KILL_AT: String(killAt), SEED: String(seed) },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  return new Promise((done) =>
    child.on('close', (code, signal) =>
      done({ op: /op=(\S+)/.exec(stdout)?.[1] ?? '?', signal, code, calls: Number(/calls=(\d+)/.exec(stdout)?.[1] ?? NaN), stderr })
    )
  )
}

/** Every file the app keeps, read back as the app reads it; throws on anything half-written or lost. */
async function checkReadable(dataDir: string): Promise<void> {
  const names = readdirSync(dataDir)
  expect(names.filter((n) => n.includes('.damaged-')), 'a settings file was found damaged').toEqual([])
  if (existsSync(join(dataDir, 'config.json'))) JSON.parse(readFileSync(join(dataDir, 'config.json'), 'utf8'))
  // The services open it as the app does: nothing moved aside, the last saved value or the one before.
  new StoredSettingsService(createConfSettingsStore({ cwd: dataDir, onDamaged: (to) => expect.fail(`settings moved to ${to}`) }))
  if (existsSync(join(dataDir, 'api-key.bin'))) expect(readFileSync(join(dataDir, 'api-key.bin'), 'utf8')).toMatch(/^sk-key-for-run-\d+-x*$/)

  const voicesDir = join(dataDir, 'voices')
  if (!existsSync(voicesDir)) return
  expect(readdirSync(voicesDir).filter((n) => n.includes('.damaged-')), 'the voice list was found damaged').toEqual([])
  const metadata = new JsonFileVoiceMetadataStore(join(voicesDir, 'voices.json'))
  const store = new VoiceStore({ dir: voicesDir, metadata })
  const voices = await store.list()
  expect(metadata.lastReadProblem).toBeUndefined()
  // A record never points at a missing or torn sample (a sample is written before its record, and removed after it).
  expect(voices.filter((v) => v.problem).map((v) => `${v.name}: ${v.problem}`)).toEqual([])
}

describe('atomic writes', () => {
  it('replace a file whole, leave no temporary file, and keep only the user able to read it', async () => {
    const dir = tempDir()
    const file = join(dir, 'nested', 'doc.json')
    writeFileAtomically(file, '{"a":1}')
    await writeFileAtomicallyAsync(file, Buffer.from('{"a":2}'))
    expect(readFileSync(file, 'utf8')).toBe('{"a":2}')
    expect(readdirSync(join(dir, 'nested'))).toEqual(['doc.json'])
    if (process.platform !== 'win32') {
      const { statSync } = await import('node:fs')
      expect(statSync(file).mode & 0o077).toBe(0)
    }
  })

  it('a write that cannot finish leaves what was there, and no temporary file', () => {
    const dir = tempDir()
    // The target is a folder with a file in it: the rename over it fails after the bytes were written.
    const target = join(dir, 'doc.json')
    mkdirSync(target)
    writeFileSync(join(target, 'inside'), 'old')
    expect(() => writeFileAtomically(target, 'new')).toThrow()
    expect(readFileSync(join(target, 'inside'), 'utf8')).toBe('old')
    expect(readdirSync(dir)).toEqual(['doc.json'])
  })

  it('moves a damaged file aside under a new name, never over anything', () => {
    const dir = tempDir()
    const file = join(dir, 'voices.json')
    expect(moveAside(file)).toBeUndefined()
    writeFileSync(file, '{ not json')
    const to = moveAside(file, new Date('2026-01-02T03:04:05.678Z'))
    expect(to).toBe(`${file}.damaged-2026-01-02T03-04-05-678Z`)
    expect(readFileSync(to!, 'utf8')).toBe('{ not json')
    expect(existsSync(file)).toBe(false)
  })

  it(`a process killed at random points during ${RUNS} save, rename and delete operations leaves every file readable`, async () => {
    const dataDir = tempDir()
    // Learn how many file-system calls each operation makes, without killing.
    const callsPerOp: number[] = []
    for (let op = 0; op < OPERATIONS; op++) {
      const run = await runChild(dataDir, op, 0, 100 * op + 2)
      expect(run.code, run.stderr).toBe(0)
      callsPerOp.push(run.calls!)
      await checkReadable(dataDir)
    }

    const killedIn = new Map<string, number>()
    for (let r = 0; r < RUNS; r++) {
      const op = r % OPERATIONS
      const killAt = 1 + Math.floor(Math.random() * callsPerOp[op])
      const run = await runChild(dataDir, op, killAt, r)
      // An operation that took a shorter path this time may finish before its call number comes.
      if (run.signal === 'SIGKILL') killedIn.set(run.op, (killedIn.get(run.op) ?? 0) + 1)
      else expect(run.code, run.stderr).toBe(0)
      await checkReadable(dataDir)
    }
    const killed = [...killedIn.values()].reduce((a, b) => a + b, 0)
    console.log(`Killed ${killed} of ${RUNS} operations part-way: ${JSON.stringify(Object.fromEntries(killedIn))}; calls per operation ${callsPerOp.join(', ')}`)
    expect(killed).toBeGreaterThanOrEqual(RUNS * 0.8)
    expect(killedIn.size).toBe(OPERATIONS)
  }, 180_000)
})
