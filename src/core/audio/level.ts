/**
 * Loudness and voice activity on PCM16. Energy based: speech is a frame well above the noise
 * floor, the floor adapts to the room (the quietest recent frames), and a hangover keeps short
 * pauses between words inside the speech.
 */

import type { LevelReading } from '../../shared/assistant'

/** What digital silence reads as (dBFS has no -Infinity on the wire). */
export const SILENCE_DBFS = -100

/** A frame's level as the window's meter gets it: dB to one decimal, whole milliseconds. */
export function levelReading(level: { rmsDbfs: number; peakDbfs: number }, speech: boolean, elapsedMs: number): LevelReading {
  return { rmsDbfs: Math.round(level.rmsDbfs * 10) / 10, peakDbfs: Math.round(level.peakDbfs * 10) / 10, speech, elapsedMs: Math.round(elapsedMs) }
}

function toDbfs(amplitude: number): number {
  if (amplitude <= 0) return SILENCE_DBFS
  return Math.max(SILENCE_DBFS, 20 * Math.log10(amplitude))
}

/** RMS and peak of the samples in dB relative to full scale (0 dBFS = a full-scale square wave). */
export function measureLevel(pcm: Int16Array): { rmsDbfs: number; peakDbfs: number } {
  if (pcm.length === 0) return { rmsDbfs: SILENCE_DBFS, peakDbfs: SILENCE_DBFS }
  let sum = 0
  let peak = 0
  for (let i = 0; i < pcm.length; i++) {
    const v = pcm[i]
    sum += v * v
    const a = v < 0 ? -v : v
    if (a > peak) peak = a
  }
  return { rmsDbfs: toDbfs(Math.sqrt(sum / pcm.length) / 32768), peakDbfs: toDbfs(peak / 32768) }
}

export interface VoiceActivityOptions {
  sampleRate?: number
  /** How long speech is still reported after the level falls (pauses between words). Default 300 ms. */
  hangoverMs?: number
  /** A frame is loud enough for speech this far above the noise floor. Default 12 dB. */
  marginDb?: number
  /** ...and never below this absolute level, so a silent room's hiss is not speech. Default -50 dBFS. */
  minSpeechDbfs?: number
  /** Loud frames must last this long together before speech starts (a key click does not). Default 120 ms. */
  speechStartMs?: number
  /** The noise floor follows the quietest frame of this recent stretch. Default 1500 ms. */
  floorWindowMs?: number
  /** ...falling at once, rising with this time constant, so a long vowel does not lift it. Default 1000 ms. */
  floorRiseMs?: number
}

export interface VoiceActivityFrame {
  speech: boolean
  /** This frame itself is loud enough for speech (speech also covers the pauses between words). */
  loud: boolean
  rmsDbfs: number
  peakDbfs: number
  noiseFloorDbfs: number
}

/**
 * Feed it consecutive frames (any length; the recorder sends 50 ms). The noise floor follows the
 * minimum frame RMS over the last `floorWindowMs` (minimum statistics): speech has gaps between
 * words, steady noise does not, so a fan or hum becomes the floor within a few seconds (it rises
 * with time constant `floorRiseMs`) while a voice stays above it. The first frame sets the starting floor.
 */
export class VoiceActivityDetector {
  private readonly sampleRate: number
  private readonly hangoverMs: number
  private readonly marginDb: number
  private readonly minSpeechDbfs: number
  private readonly speechStartMs: number
  private readonly floorWindowMs: number
  private readonly floorRiseMs: number
  private floor: number | undefined
  private history: Array<{ rmsDbfs: number; ms: number }> = []
  private historyMs = 0
  private loudMs = 0
  private inSpeech = false
  private quietMs = 0
  private elapsedMs = 0
  private lastSpeechEndMs: number | undefined
  private heard = false

  constructor(o: VoiceActivityOptions = {}) {
    this.sampleRate = o.sampleRate ?? 16000
    this.hangoverMs = o.hangoverMs ?? 300
    this.marginDb = o.marginDb ?? 12
    this.minSpeechDbfs = o.minSpeechDbfs ?? -50
    this.speechStartMs = o.speechStartMs ?? 120
    this.floorWindowMs = o.floorWindowMs ?? 1500
    this.floorRiseMs = o.floorRiseMs ?? 1000
  }

  /** Speech was heard at some point (the recording is worth sending). */
  get heardSpeech(): boolean {
    return this.heard
  }

  /** Milliseconds since speech was last loud (since the start if there was none yet). */
  get silenceMs(): number {
    if (this.inSpeech && this.quietMs === 0) return 0
    if (this.lastSpeechEndMs === undefined) return this.elapsedMs
    return this.elapsedMs - this.lastSpeechEndMs
  }

  get noiseFloorDbfs(): number {
    return this.floor ?? SILENCE_DBFS
  }

  push(frame: Int16Array): VoiceActivityFrame {
    const { rmsDbfs, peakDbfs } = measureLevel(frame)
    const ms = (frame.length * 1000) / this.sampleRate
    this.remember(rmsDbfs, ms)
    this.updateFloor(ms)
    const noiseFloorDbfs = this.noiseFloorDbfs
    const threshold = Math.max(noiseFloorDbfs + this.marginDb, this.minSpeechDbfs)
    const loud = rmsDbfs > threshold
    this.elapsedMs += ms

    if (loud) {
      this.loudMs += ms
      this.quietMs = 0
      if (!this.inSpeech && this.loudMs >= this.speechStartMs) {
        this.inSpeech = true
        this.heard = true
      }
    } else {
      this.loudMs = 0
      if (this.inSpeech) {
        if (this.quietMs === 0) this.lastSpeechEndMs = this.elapsedMs - ms
        this.quietMs += ms
        if (this.quietMs > this.hangoverMs) this.inSpeech = false
      }
    }
    return { speech: this.inSpeech, loud, rmsDbfs, peakDbfs, noiseFloorDbfs }
  }

  private updateFloor(ms: number): void {
    let quietest = Infinity
    for (const h of this.history) if (h.rmsDbfs < quietest) quietest = h.rmsDbfs
    if (this.floor === undefined || quietest <= this.floor) this.floor = quietest
    else this.floor += (quietest - this.floor) * (1 - Math.exp(-ms / this.floorRiseMs))
  }

  private remember(rmsDbfs: number, ms: number): void {
    this.history.push({ rmsDbfs, ms })
    this.historyMs += ms
    while (this.history.length > 1 && this.historyMs - this.history[0].ms >= this.floorWindowMs) {
      this.historyMs -= this.history[0].ms
      this.history.shift()
    }
  }
}

export interface TrimOptions {
  /** Kept on each side of the speech (soft word onsets and endings). Default 150 ms. */
  marginMs?: number
  marginDb?: number
  minSpeechDbfs?: number
}

/**
 * Cuts the silence before the first and after the last speech, keeping a small margin. Knows the
 * whole recording, so its noise floor is the 10th percentile of 20 ms frame levels. A recording
 * with no speech comes back empty (speechMs 0): send nothing, say "no speech heard".
 */
export function trimSilence(
  pcm: Int16Array,
  sampleRate: number,
  o: TrimOptions = {}
): { pcm: Int16Array; leadingMs: number; trailingMs: number; speechMs: number } {
  const marginMs = o.marginMs ?? 150
  const marginDb = o.marginDb ?? 12
  const minSpeechDbfs = o.minSpeechDbfs ?? -50
  const frameLength = Math.max(1, Math.round(sampleRate / 50))
  const frameCount = Math.ceil(pcm.length / frameLength)
  const totalMs = (pcm.length * 1000) / sampleRate
  const nothing = { pcm: new Int16Array(0), leadingMs: totalMs, trailingMs: 0, speechMs: 0 }
  if (frameCount === 0) return nothing

  const levels = new Float64Array(frameCount)
  for (let f = 0; f < frameCount; f++) {
    levels[f] = measureLevel(pcm.subarray(f * frameLength, Math.min(pcm.length, (f + 1) * frameLength))).rmsDbfs
  }
  const sorted = Array.from(levels).sort((a, b) => a - b)
  const floor = sorted[Math.floor((sorted.length - 1) * 0.1)]
  const top = sorted[Math.floor((sorted.length - 1) * 0.9)]
  let threshold = Math.max(floor + marginDb, minSpeechDbfs)
  // Level nearly constant from start to end: all of it is speech or none of it is.
  if (top - floor < marginDb) threshold = minSpeechDbfs

  // Speech is a run of at least 3 loud frames (60 ms): a click is not.
  const minRun = 3
  let first = -1
  let last = -1
  for (let f = 0, run = 0; f < frameCount; f++) {
    run = levels[f] > threshold ? run + 1 : 0
    if (run === minRun) {
      if (first < 0) first = f - minRun + 1
    }
    if (run >= minRun) last = f
  }
  if (first < 0) return nothing

  const margin = Math.round((marginMs * sampleRate) / 1000)
  const start = Math.max(0, first * frameLength - margin)
  const end = Math.min(pcm.length, (last + 1) * frameLength + margin)
  const toMs = (n: number) => (n * 1000) / sampleRate
  return {
    pcm: pcm.slice(start, end),
    leadingMs: toMs(start),
    trailingMs: toMs(pcm.length - end),
    speechMs: toMs(Math.min(pcm.length, (last + 1) * frameLength) - first * frameLength)
  }
}
