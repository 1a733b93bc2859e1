import { spawn } from 'node:child_process'
import { beforeAll, describe, expect, it } from 'vitest'
import type { LevelReading } from '../../src/shared/assistant'
import { measureLevel } from '../../src/core/audio/level'
import { Recorder, type RecorderProgram, type RecordingSession } from '../../src/core/audio/recorder'
import { bestCorrelation, ensureAudioStack, makeSpeech, pcmFromBuffer, speakIntoMic, tone, type AudioStack } from './pulse'

const QUESTION = 'What is the weather like in Beijing today?'
const PROGRAMS: RecorderProgram[] = ['sox', 'rec', 'arecord']

let audio: AudioStack
let speech: Buffer

beforeAll(async () => {
  audio = await ensureAudioStack()
  speech = await makeSpeech(QUESTION)
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Resolves at the first level reading: the recorder is delivering audio. */
function firstLevel(session: RecordingSession): Promise<void> {
  return new Promise((resolve, reject) => {
    session.on('level', () => resolve())
    session.on('error', reject)
  })
}

/** Plays PCM16 mono into a sink (here: the speaker, to give a second source something to hear). */
function playInto(sink: string, pcm: Buffer, rate: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('pacat', ['--playback', '--raw', '--format=s16le', `--rate=${rate}`, '--channels=1', '-d', sink], { stdio: ['pipe', 'ignore', 'ignore'] })
    child.on('error', reject)
    child.on('close', () => resolve())
    child.stdin.end(pcm)
  })
}

describe.each(PROGRAMS)('Recorder with %s on the virtual microphone', (program) => {
  it('records what is spoken: complete, in order, with levels every 50 ms', async () => {
    const session = new Recorder({ program }).start({ maxDurationMs: 15_000 })
    expect(session.program === undefined || session.program === program).toBe(true)
    const levels: LevelReading[] = []
    session.on('level', (l) => levels.push(l))
    const frames: Int16Array[] = []
    session.on('frame', (f) => frames.push(f))
    await firstLevel(session)
    await speakIntoMic(speech)
    await sleep(500)
    const recording = await session.stop()

    // The frames, as they came (what the upload is encoded from), add up to the recording.
    expect(frames.slice(0, -1).every((f) => f.length === 800)).toBe(true)
    expect(Int16Array.from(frames.flatMap((f) => Array.from(f)))).toEqual(recording.pcm)

    const speechMs = (speech.length / 2 / 16000) * 1000
    expect(recording.sampleRate).toBe(16000)
    expect(recording.durationMs).toBe(Math.round(recording.pcm.length / 16))
    expect(recording.durationMs).toBeGreaterThan(speechMs + 150)
    expect(recording.durationMs).toBeLessThan(speechMs + 3000)
    expect(recording.heardSpeech).toBe(true)

    const { correlation } = bestCorrelation(pcmFromBuffer(speech), recording.pcm)
    expect(correlation).toBeGreaterThan(0.9)
    // The level is the input's level: the stack is bit-exact at 16 kHz.
    expect(Math.abs(measureLevel(recording.pcm).peakDbfs - measureLevel(pcmFromBuffer(speech)).peakDbfs)).toBeLessThan(1)

    // One reading per 50 ms of audio while recording (none for the tail flushed after stop()).
    expect(levels.length * 50).toBeLessThanOrEqual(recording.durationMs)
    expect(levels.length * 50).toBeGreaterThanOrEqual(speechMs)
    expect(levels.map((l) => l.elapsedMs)).toEqual(levels.map((_, i) => (i + 1) * 50))
    expect(Math.max(...levels.map((l) => l.rmsDbfs))).toBeGreaterThan(-30)
    expect(levels.some((l) => l.speech)).toBe(true)
    expect(levels[0].speech).toBe(false)
  })

  it('reports no speech for a silent recording', async () => {
    const session = new Recorder({ program }).start()
    const levels: LevelReading[] = []
    session.on('level', (l) => levels.push(l))
    await firstLevel(session)
    await sleep(800)
    const recording = await session.stop()
    expect(recording.durationMs).toBeGreaterThan(600)
    expect(recording.heardSpeech).toBe(false)
    expect(levels.every((l) => !l.speech)).toBe(true)
    expect(measureLevel(recording.pcm).peakDbfs).toBeLessThan(-80)
  })

  it('records from the input device it is given, not the default one', async () => {
    // A tone on the speaker while the microphone stays silent: only spk.monitor hears it.
    const fromSpeaker = new Recorder({ program, device: `${audio.speaker}.monitor` }).start()
    const fromDefault = new Recorder({ program }).start()
    await Promise.all([firstLevel(fromSpeaker), firstLevel(fromDefault)])
    await playInto(audio.speaker, tone(1000, 24000, 440, 0.5), 24000)
    const [speaker, mic] = await Promise.all([fromSpeaker.stop(), fromDefault.stop()])
    expect(measureLevel(speaker.pcm).peakDbfs).toBeGreaterThan(-10)
    expect(measureLevel(mic.pcm).peakDbfs).toBeLessThan(-80)
  })
})

describe('Recorder limits', () => {
  it('stops by itself at the maximum length, with exactly that much audio', async () => {
    const session = new Recorder().start({ maxDurationMs: 1000 })
    const reasons: string[] = []
    const stopped = new Promise<void>((resolve) => session.on('autostop', (reason) => (reasons.push(reason), resolve())))
    await stopped
    const recording = await session.stop()
    expect(reasons).toEqual(['max-length'])
    expect(recording.pcm.length).toBe(16000)
    expect(recording.durationMs).toBe(1000)
  })

  it('stops by itself after silence that follows speech, never before the speech', async () => {
    const session = new Recorder().start({ maxDurationMs: 20_000, stopOnSilenceMs: 700 })
    const reasons: string[] = []
    let stoppedAt = 0
    session.on('autostop', (reason) => {
      reasons.push(reason)
      stoppedAt = performance.now()
    })
    await firstLevel(session)
    await sleep(1200) // silence longer than 700 ms, but no speech yet
    expect(reasons).toEqual([])
    await speakIntoMic(speech)
    const spokenAt = performance.now()
    await new Promise<void>((resolve) => (reasons.length ? resolve() : session.on('autostop', () => resolve())))
    const recording = await session.stop()
    expect(reasons).toEqual(['silence'])
    expect(stoppedAt - spokenAt).toBeLessThan(3000)
    expect(recording.heardSpeech).toBe(true)
    expect(bestCorrelation(pcmFromBuffer(speech), recording.pcm).correlation).toBeGreaterThan(0.9)
  })

  it('cancel drops the recording and ends the recorder process', async () => {
    const session = new Recorder().start()
    await firstLevel(session)
    const pid = session.pid
    expect(pid).toBeGreaterThan(0)
    session.cancel()
    const recording = await session.stop()
    expect(recording.pcm.length).toBe(0)
    expect(recording.heardSpeech).toBe(false)
    await sleep(300)
    expect(() => process.kill(pid!, 0)).toThrow()
  })
})

describe('Recorder.listDevices', () => {
  it('lists the PulseAudio sources, microphone-like first', async () => {
    const devices = await new Recorder().listDevices()
    const ids = devices.map((d) => d.id)
    expect(ids).toContain(`${audio.speaker}.monitor`)
    expect(ids).toContain(audio.micSource)
    expect(devices.find((d) => d.id === audio.micSource)?.label).toMatch(/monitor/i)
  })
})
