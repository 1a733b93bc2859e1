/**
 * Every way the recorder and the player can fail ends in a typed AudioError, and the test process
 * (which is the app's process here) lives on: an unhandled 'error' would fail this file.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AudioDeviceError, AudioError, PlayerMissingError, RecorderMissingError } from '../../src/core/audio/errors'
import { createPlayer, type PlayerProgram } from '../../src/core/audio/player'
import { Recorder, type RecorderProgram, type RecordingSession } from '../../src/core/audio/recorder'
import { ensureAudioStack, tone } from './pulse'

let emptyDir: string
const DEAD_SERVER = 'unix:/tmp/mimo-voice-no-such-pulse/native'

beforeAll(async () => {
  await ensureAudioStack()
  emptyDir = await mkdtemp(path.join(tmpdir(), 'mimo-empty-path-'))
})
afterAll(async () => {
  await rm(emptyDir, { recursive: true, force: true })
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** The session's first error (or a timeout), and what stop() then says. */
async function outcome(session: RecordingSession, timeoutMs = 10_000): Promise<{ event: unknown; stopped: unknown }> {
  const event = await new Promise<unknown>((resolve) => {
    session.on('error', resolve)
    setTimeout(() => resolve('no error event'), timeoutMs)
  })
  const stopped = await session.stop().then(
    (r) => r,
    (e: unknown) => e
  )
  return { event, stopped }
}

describe('recorder failures', () => {
  it('no recorder installed (findProgram finds none): RecorderMissingError with the install hint', async () => {
    const recorder = new Recorder({ findProgram: async () => null, platform: 'linux' })
    const { event, stopped } = await outcome(recorder.start())
    expect(event).toBeInstanceOf(RecorderMissingError)
    expect(stopped).toBe(event)
    const err = event as RecorderMissingError
    expect(err.tried).toEqual(['sox', 'rec', 'arecord'])
    expect(err.installHint).toContain('sudo apt install sox')
    expect(err.toUserError()).toMatchObject({ kind: 'audio', code: 'recorder-missing', hint: err.installHint })
  })

  it('a PATH without sox, rec or arecord: found missing before anything is spawned', async () => {
    const recorder = new Recorder({ env: { ...process.env, PATH: emptyDir } })
    await expect(recorder.findRecorder()).rejects.toBeInstanceOf(RecorderMissingError)
    const { event } = await outcome(recorder.start())
    expect(event).toBeInstanceOf(RecorderMissingError)
  })

  it.each<RecorderProgram>(['sox', 'arecord'])(
    'the binary vanishes between look-up and spawn (%s): the child ENOENT becomes RecorderMissingError',
    async (program) => {
      // findProgram says yes, but the child's PATH has no such program: node-record-lpcm16's
      // unguarded child 'error' (ENOENT) is the trap this exercises.
      const recorder = new Recorder({ program, env: { ...process.env, PATH: emptyDir }, findProgram: async () => `/usr/bin/${program}` })
      const { event, stopped } = await outcome(recorder.start())
      expect(event).toBeInstanceOf(RecorderMissingError)
      expect((event as RecorderMissingError).tried).toEqual([program])
      expect(stopped).toBe(event)
    }
  )

  it.each<RecorderProgram>(['sox', 'rec', 'arecord'])('no sound server (%s, PULSE_SERVER pointing at a dead socket): AudioDeviceError no-daemon', async (program) => {
    const recorder = new Recorder({ program, env: { ...process.env, PULSE_SERVER: DEAD_SERVER } })
    const { event, stopped } = await outcome(recorder.start())
    expect(event).toBeInstanceOf(AudioDeviceError)
    expect((event as AudioDeviceError).problem).toBe('no-daemon')
    expect((event as AudioError).message).toMatch(/sound server could not be reached/)
    expect((event as AudioError).toUserError().hint).toMatch(/PulseAudio|PipeWire/)
    expect(stopped).toBe(event)
  })

  it('an input device that does not exist: AudioDeviceError no-device', async () => {
    const recorder = new Recorder({ program: 'sox', device: 'no-such-source' })
    const { event } = await outcome(recorder.start())
    expect(event).toBeInstanceOf(AudioDeviceError)
    expect((event as AudioDeviceError).problem).toBe('no-device')
  })

  it.each<RecorderProgram>(['sox', 'arecord'])('the recorder (%s) killed mid-recording: AudioDeviceError killed, stop() rejects', async (program) => {
    const session = new Recorder({ program }).start()
    await new Promise<void>((resolve) => session.on('level', () => resolve()))
    process.kill(session.pid!, 'SIGKILL')
    const { event, stopped } = await outcome(session)
    expect(event).toBeInstanceOf(AudioDeviceError)
    expect((event as AudioDeviceError).problem).toBe('killed')
    expect((event as AudioDeviceError).details.signal).toBe('SIGKILL')
    expect(stopped).toBe(event)
  })

  it('a failure with no error listener is reported by stop() alone (no unhandled error)', async () => {
    const session = new Recorder({ findProgram: async () => null }).start()
    await sleep(50)
    await expect(session.stop()).rejects.toBeInstanceOf(RecorderMissingError)
  })
})

describe('player failures', () => {
  it('no player installed: PlayerMissingError with the install hint', async () => {
    const err = await createPlayer({ findProgram: async () => null, platform: 'linux' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PlayerMissingError)
    expect((err as PlayerMissingError).tried).toEqual(['pacat', 'aplay', 'play'])
    expect((err as PlayerMissingError).installHint).toContain('sudo apt install pulseaudio-utils')
  })

  it('a PATH without any player: PlayerMissingError', async () => {
    await expect(createPlayer({ env: { ...process.env, PATH: emptyDir } })).rejects.toBeInstanceOf(PlayerMissingError)
  })

  it('the binary vanishes between look-up and spawn: PlayerMissingError, not a crash', async () => {
    await expect(createPlayer({ program: 'pacat', findProgram: async () => path.join(emptyDir, 'pacat') })).rejects.toBeInstanceOf(PlayerMissingError)
  })

  it.each<PlayerProgram>(['pacat', 'aplay', 'play'])('no sound server (%s): an error event, end() rejects with it', async (program) => {
    const sink = await createPlayer({ program, env: { ...process.env, PULSE_SERVER: DEAD_SERVER } })
    const event = new Promise<unknown>((resolve) => sink.on('error', resolve))
    sink.write(tone(300, 24000))
    const ended = await sink.end().then(
      () => 'resolved',
      (e: unknown) => e
    )
    expect(ended).toBeInstanceOf(AudioDeviceError)
    expect(await event).toBe(ended)
    expect((ended as AudioDeviceError).problem).toBe('no-daemon')
    sink.stop() // harmless after a failure
  })

  it('the player killed while speaking: an error event (killed), writes after it are ignored', async () => {
    const sink = await createPlayer({ program: 'pacat' })
    const event = new Promise<unknown>((resolve) => sink.on('error', resolve))
    sink.write(tone(3000, 24000))
    await sleep(300)
    process.kill((sink as unknown as { pid: number }).pid, 'SIGKILL')
    const err = await event
    expect(err).toBeInstanceOf(AudioDeviceError)
    expect((err as AudioDeviceError).problem).toBe('killed')
    sink.write(tone(100, 24000)) // must not throw (EPIPE is swallowed)
    await expect(sink.end()).rejects.toBe(err)
    sink.stop()
    sink.stop()
  })
})
