/**
 * scripts/audio-test-stack.sh itself. Every audio test shares its daemon, so a daemon that hangs or
 * dies must not take the rest of the run with it: `start` ends it and starts a new one.
 * Runs on a stack of its own (its own directory and socket), never on the shared one.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isAlive } from '../process-alive'

const exec = promisify(execFile)
const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../scripts/audio-test-stack.sh')

let dir: string
/** Daemons this file started, killed at the end whatever happened. */
const daemons = new Set<number>()
const stackEnv = () => ({ ...process.env, MIMO_AUDIO_STACK_DIR: dir, PULSE_SERVER: `unix:${dir}/native` })
const run = (command: 'start' | 'stop' | 'status') => exec('bash', [script, command], { env: stackEnv(), timeout: 60_000 })
const daemonPid = async () => {
  const pid = Number((await readFile(path.join(dir, 'runtime/pid'), 'utf8')).trim())
  daemons.add(pid)
  return pid
}
const sinks = async () => (await exec('pactl', ['list', 'short', 'sinks'], { env: stackEnv(), timeout: 5000 })).stdout

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mimo-stack-'))
})
afterAll(async () => {
  await run('stop').catch(() => undefined)
  for (const pid of daemons) if (isAlive(pid)) process.kill(pid, 'SIGKILL')
  await rm(dir, { recursive: true, force: true })
})

describe('the audio test stack script', () => {
  it('start replaces a daemon that is alive but no longer answers, with both sinks back', { timeout: 60_000 }, async () => {
    await run('start')
    const hung = await daemonPid()
    process.kill(hung, 'SIGSTOP')

    const { stderr } = await run('start')
    expect(stderr).toContain(`our PulseAudio daemon (pid ${hung}) is alive but not answering; ending it`)
    expect(isAlive(hung)).toBe(false)
    const fresh = await daemonPid()
    expect(fresh).not.toBe(hung)
    expect(await sinks()).toMatch(/\bspk\b[\s\S]*\bmicsink\b/)
  })

  it('start right after the daemon was killed brings it back; stop ends it and status says so with its log', { timeout: 60_000 }, async () => {
    await run('start')
    const killed = await daemonPid()
    process.kill(killed, 'SIGKILL')

    await run('start')
    const fresh = await daemonPid()
    expect(fresh).not.toBe(killed)
    expect(await sinks()).toMatch(/\bspk\b[\s\S]*\bmicsink\b/)

    await run('stop')
    expect(isAlive(fresh)).toBe(false)
    const status = await run('status').then(
      () => undefined,
      (err: { code: number; stdout: string; stderr: string }) => err
    )
    expect(status?.code).toBe(1)
    expect(status?.stdout).toContain('not answering')
    expect(status?.stderr).toContain('pulseaudio.log: ')
    expect(status?.stderr).toContain('Daemon shutdown initiated')
  })
})
