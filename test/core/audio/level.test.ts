import { describe, expect, it } from 'vitest'
import { measureLevel, SILENCE_DBFS, trimSilence, VoiceActivityDetector } from '../../../src/core/audio/level'

const RATE = 16000
const FRAME = 800 // 50 ms, as the recorder sends

/** Deterministic white noise (xorshift), uniform -1..1. */
function noise(samples: number, seed = 1): Float64Array {
  let x = seed >>> 0 || 1
  const out = new Float64Array(samples)
  for (let i = 0; i < samples; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = ((x >>> 0) / 0xffffffff) * 2 - 1
  }
  return out
}

const dbToAmp = (db: number) => 10 ** (db / 20)

/** Uniform noise at an RMS level in dBFS (uniform -1..1 has RMS 1/sqrt(3)). */
function noiseAt(ms: number, dbfs: number, seed = 7): Float64Array {
  const n = noise(Math.round((ms * RATE) / 1000), seed)
  const scale = dbToAmp(dbfs) * Math.sqrt(3)
  return n.map((v) => v * scale)
}

/**
 * Speech-like sound: voiced syllables (a 140 Hz buzz with harmonics, rising and falling) of
 * 180 ms with 90 ms gaps between them, like words spoken at a normal pace. RMS near `dbfs`.
 */
function syllables(ms: number, dbfs: number): Float64Array {
  const n = Math.round((ms * RATE) / 1000)
  const out = new Float64Array(n)
  const period = Math.round(0.27 * RATE)
  const on = Math.round(0.18 * RATE)
  const amp = dbToAmp(dbfs) * 1.9
  for (let i = 0; i < n; i++) {
    const p = i % period
    if (p >= on) continue
    const envelope = Math.sin((Math.PI * p) / on)
    let v = 0
    for (let h = 1; h <= 5; h++) v += Math.sin((2 * Math.PI * 140 * h * i) / RATE) / h
    out[i] = amp * envelope * v * 0.5
  }
  return out
}

function mix(...parts: Float64Array[]): Float64Array {
  const n = Math.max(...parts.map((p) => p.length))
  const out = new Float64Array(n)
  for (const p of parts) for (let i = 0; i < p.length; i++) out[i] += p[i]
  return out
}

function concat(...parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((a, p) => a + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

const silence = (ms: number) => new Float64Array(Math.round((ms * RATE) / 1000))

function pcm16(x: Float64Array): Int16Array {
  return Int16Array.from(x, (v) => Math.max(-32768, Math.min(32767, Math.round(v * 32768))))
}

function run(x: Float64Array, vad = new VoiceActivityDetector()) {
  const pcm = pcm16(x)
  const frames = []
  for (let at = 0; at + FRAME <= pcm.length; at += FRAME) frames.push(vad.push(pcm.subarray(at, at + FRAME)))
  return { vad, frames, speechMs: frames.filter((f) => f.speech).length * 50 }
}

describe('measureLevel', () => {
  it('full-scale square wave is 0 dBFS; a half-scale sine is -9 dBFS RMS, -6 dBFS peak', () => {
    const square = Int16Array.from({ length: 1600 }, (_, i) => (i % 40 < 20 ? 32767 : -32768))
    expect(measureLevel(square).rmsDbfs).toBeCloseTo(0, 2)
    expect(measureLevel(square).peakDbfs).toBeCloseTo(0, 5)
    const sine = Int16Array.from({ length: 16000 }, (_, i) => Math.round(16384 * Math.sin((2 * Math.PI * 1000 * i) / RATE)))
    expect(measureLevel(sine).rmsDbfs).toBeCloseTo(-9.03, 1)
    expect(measureLevel(sine).peakDbfs).toBeCloseTo(-6.02, 1)
  })

  it('digital silence and empty input read as the floor, never -Infinity', () => {
    expect(measureLevel(new Int16Array(800))).toEqual({ rmsDbfs: SILENCE_DBFS, peakDbfs: SILENCE_DBFS })
    expect(measureLevel(new Int16Array(0))).toEqual({ rmsDbfs: SILENCE_DBFS, peakDbfs: SILENCE_DBFS })
  })
})

describe('VoiceActivityDetector', () => {
  it('silence and quiet room noise: no speech', () => {
    expect(run(silence(3000)).vad.heardSpeech).toBe(false)
    const quiet = run(noiseAt(4000, -60))
    expect(quiet.vad.heardSpeech).toBe(false)
    expect(quiet.speechMs).toBe(0)
    expect(quiet.frames.at(-1)!.noiseFloorDbfs).toBeCloseTo(-60, 0)
  })

  it('speech in noise: heard, and the speech frames are where the syllables are', () => {
    const x = concat(noiseAt(1000, -45, 3), mix(noiseAt(3000, -45, 4), syllables(3000, -22)), noiseAt(1500, -45, 5))
    const { vad, frames } = run(x)
    expect(vad.heardSpeech).toBe(true)
    const speech = frames.map((f) => f.speech)
    expect(speech.slice(0, 20).some(Boolean)).toBe(false) // the first second is noise only
    // Nearly all of the speaking part is speech (gaps bridged by the hangover)...
    expect(speech.slice(24, 80).filter(Boolean).length).toBeGreaterThan(50)
    // ...and the noise after it is not, once the hangover ran out.
    expect(speech.slice(88).some(Boolean)).toBe(false)
    expect(frames[50].noiseFloorDbfs).toBeLessThan(-40)
  })

  it('hangover: speech lasts 300 ms past the last loud frame, and silenceMs counts from there', () => {
    const { vad, frames } = run(concat(silence(500), syllables(1000, -20), silence(1000)))
    // The last syllable of 1000 ms of syllables ends at 0.5 + 0.81 + 0.18 = 1.49 s...
    const lastSpeech = frames.map((f) => f.speech).lastIndexOf(true)
    const lastLoud = frames.findLastIndex((f) => f.rmsDbfs > -50)
    expect(lastSpeech - lastLoud).toBeGreaterThanOrEqual(5) // 300 ms of 50 ms frames, plus the frame it ends in
    expect(lastSpeech - lastLoud).toBeLessThanOrEqual(7)
    expect(vad.silenceMs).toBeGreaterThan(900)
    expect(vad.silenceMs).toBeLessThan(1200)
  })

  it('a short hangover is honoured, and a key click is not speech', () => {
    const click = new Float64Array(RATE / 50) // 20 ms burst
    click.set(noiseAt(20, -6, 9))
    const clicked = run(concat(silence(500), click, silence(1000)))
    expect(clicked.vad.heardSpeech).toBe(false)
    const short = run(concat(silence(500), syllables(800, -20), silence(500)), new VoiceActivityDetector({ hangoverMs: 50 }))
    const long = run(concat(silence(500), syllables(800, -20), silence(500)))
    expect(short.speechMs).toBeLessThan(long.speechMs)
  })

  it('adaptive floor: a fan switched on becomes the floor, and speech above it is still heard', () => {
    const vad = new VoiceActivityDetector()
    run(silence(1000), vad)
    const fan = run(noiseAt(6000, -35, 11), vad)
    // Loud and new at first, the fan is taken for speech; within a few seconds it is the floor.
    expect(fan.frames.slice(-40).some((f) => f.speech)).toBe(false)
    expect(fan.frames.at(-1)!.noiseFloorDbfs).toBeGreaterThan(-38)
    const talk = run(mix(noiseAt(3000, -35, 12), syllables(3000, -12)), vad)
    expect(talk.speechMs).toBeGreaterThan(2000)
  })
})

describe('trimSilence', () => {
  it('cuts the silence around speech and keeps a 150 ms margin', () => {
    // 1 s quiet, 2 s of syllables (the last one ends at 1.8 + 0.18 = 1.98 s), 1.5 s quiet.
    const x = concat(noiseAt(1000, -70, 1), mix(noiseAt(2000, -70, 2), syllables(2000, -20)), noiseAt(1500, -70, 3))
    const pcm = pcm16(x)
    const out = trimSilence(pcm, RATE)
    expect(out.leadingMs).toBeGreaterThanOrEqual(1000 - 150 - 20)
    expect(out.leadingMs).toBeLessThanOrEqual(1000 - 150 + 40)
    const speechEnd = 1000 + 1980
    expect(out.trailingMs).toBeGreaterThanOrEqual(4500 - speechEnd - 150 - 40)
    expect(out.trailingMs).toBeLessThanOrEqual(4500 - speechEnd - 150 + 40)
    expect(out.speechMs).toBeGreaterThan(1900)
    expect(out.speechMs).toBeLessThan(2060)
    expect(out.pcm.length).toBe(pcm.length - Math.round(((out.leadingMs + out.trailingMs) * RATE) / 1000))
    // What is kept is the original audio, not a copy of something else.
    const start = Math.round((out.leadingMs * RATE) / 1000)
    expect(Array.from(out.pcm.subarray(0, 50))).toEqual(Array.from(pcm.subarray(start, start + 50)))
  })

  it('a custom margin', () => {
    const pcm = pcm16(concat(silence(1000), syllables(1000, -20), silence(1000)))
    expect(trimSilence(pcm, RATE, { marginMs: 0 }).leadingMs).toBeGreaterThan(trimSilence(pcm, RATE).leadingMs + 140)
  })

  it('no speech: nothing kept, so nothing is sent', () => {
    for (const x of [silence(2000), noiseAt(2000, -60)]) {
      const out = trimSilence(pcm16(x), RATE)
      expect(out.pcm.length).toBe(0)
      expect(out.speechMs).toBe(0)
      expect(out.leadingMs).toBe(2000)
    }
  })

  it('speech from the first to the last sample: all of it is kept', () => {
    const pcm = pcm16(syllables(2000, -20))
    const out = trimSilence(pcm, RATE)
    expect(out.leadingMs).toBe(0)
    expect(out.pcm.length).toBeGreaterThan(pcm.length - RATE * 0.1)
    // A steady tone has no quiet part to measure a floor from: still speech-level, still kept.
    const steady = pcm16(syllables(2000, -20).map((_, i) => 0.1 * Math.sin((2 * Math.PI * 200 * i) / RATE)))
    expect(trimSilence(steady, RATE).pcm.length).toBe(steady.length)
  })

  it('a lone click in silence is not speech', () => {
    const x = silence(2000)
    x.set(noiseAt(20, -6, 5), RATE)
    expect(trimSilence(pcm16(x), RATE).pcm.length).toBe(0)
  })
})
