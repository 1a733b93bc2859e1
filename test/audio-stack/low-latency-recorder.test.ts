// The low-latency recorder the listening modes use: parecord where PulseAudio answers, the usual
// recorders elsewhere.
import { beforeAll, describe, expect, it } from 'vitest'
import { concatFrames, Recorder } from '../../src/core/audio/recorder'
import { bestCorrelation, ensureAudioStack, makeSpeech, pcmFromBuffer, speakIntoMic } from './pulse'

let speech: Buffer

beforeAll(async () => {
  await ensureAudioStack()
  speech = await makeSpeech('Hello, this is the low latency recorder speaking.')
})

describe('Recorder({ lowLatency: true })', () => {
  it('picks parecord where a PulseAudio server answers, and hands over frames of what is spoken, complete and in order', async () => {
    const recorder = new Recorder({ lowLatency: true })
    expect((await recorder.findRecorder()).program).toBe('parecord')
    const session = recorder.start({ maxDurationMs: 20_000, keepAudio: false })
    const frames: Int16Array[] = []
    const first = new Promise<void>((resolve) =>
      session.on('frame', (f) => {
        frames.push(f)
        resolve()
      })
    )
    await first
    await speakIntoMic(speech)
    await new Promise((r) => setTimeout(r, 300))
    const kept = await session.stop()
    // Frames went to the listener, none were kept.
    expect(kept.pcm.length).toBe(0)
    // 50 ms each, the last one maybe shorter: nothing captured is held back.
    expect(frames.slice(0, -1).every((f) => f.length === 800)).toBe(true)
    expect(frames[frames.length - 1].length).toBeGreaterThan(0)
    expect(frames[frames.length - 1].length).toBeLessThanOrEqual(800)
    const all = concatFrames(frames)
    expect(bestCorrelation(pcmFromBuffer(speech), all).correlation).toBeGreaterThan(0.9)
  })

  it('an ALSA device name, or no sound server, leaves it to sox', async () => {
    expect((await new Recorder({ lowLatency: true, device: 'pulse' }).findRecorder()).program).toBe('sox')
    const env = { ...process.env, PULSE_SERVER: 'unix:/nonexistent/pulse.sock' }
    expect((await new Recorder({ lowLatency: true, env }).findRecorder()).program).toBe('sox')
  })
})
