/**
 * The checks a voice-clone sample goes through before it is saved, each with the figure it measured.
 * The input (WAV in any encoding the WAV decoder reads, or MP3) becomes the sample that is saved and sent:
 * mono PCM16 WAV at its own rate clamped to 16..48 kHz, silence trimmed at both ends, at most 30 s.
 */
import type { SampleQuality } from '../../shared/voices'
import { decodeWav, encodeWav, floatToPcm16, resample, sniffAudioFile, toMono, type DecodedAudio } from '../audio/wav'
import { measureLevel, trimSilence } from '../audio/level'
import { decodeMp3, findFirstMp3Frame, readMp3Info } from '../audio/mp3'
import { AUDIO_FILE_LIMITS, readAudioHeader } from '../audio/audio-header'
import { runDecodeJob } from '../audio/decode-off-thread'
import { MAX_SAMPLE_IMPORT_BYTES } from '../../shared/voices'

export const SAMPLE_LIMITS = {
  /** Shorter speech is refused. */
  minSec: 3,
  /** Recommended length: warned outside. */
  recommendedMinSec: 5,
  /** Longer speech is cut to its first 30 s (with a warning). */
  maxSec: 30,
  /** The service takes at most 10 MB of base64 in `audio.voice`. */
  maxDataUriBytes: 10 * 1024 * 1024,
  /** Bigger files are not even read (a 30 s sample is far smaller, whatever its format). */
  maxInputBytes: MAX_SAMPLE_IMPORT_BYTES,
  minRate: 16_000,
  maxRate: 48_000,
  /** A sample at or above this share of full scale counts as clipped. */
  clipLevel: 0.999,
  /** Warn when more than this share of samples is clipped (0.1 %). */
  clipWarnShare: 0.001,
  /** Speech loudness (RMS of the speech frames), warned outside. */
  loudnessMinDbfs: -30,
  loudnessMaxDbfs: -10,
  /** Noise estimate (10th percentile of 20 ms frame RMS), warned above. */
  noiseWarnDbfs: -45,
  frameMs: 20
} as const

/** The level reported for digital silence, in place of minus infinity. */
export const FLOOR_DBFS = -100

const DATA_URI_PREFIX = 'data:audio/wav;base64,'

/** The measured figures of SampleQuality: a refused file lists those it never got to measure as `unavailable`. */
const FIGURES = [
  'durationSec',
  'sampleRate',
  'channelsIn',
  'clippingShare',
  'rmsDbfs',
  'peakDbfs',
  'noiseDbfs',
  'trimmedLeadingSec',
  'trimmedTrailingSec',
  'base64Bytes'
] as const satisfies readonly (keyof SampleQuality)[]

export interface SampleCheck {
  quality: SampleQuality
  /** The sample to save and send (mono PCM16 WAV); null when the sample is refused. */
  wav: Buffer | null
}

/**
 * Checks a sample; never throws for a bad file: a file that cannot be used comes back with `refusals`.
 * The header is judged here, at once; the decoding and measuring run in a worker thread with a time limit
 * (src/core/audio/decode-off-thread.ts), so the caller's event loop never waits on the audio.
 */
export async function checkSample(bytes: Uint8Array, o: { fileName?: string; timeLimitMs?: number } = {}): Promise<SampleCheck> {
  const label = labelOf(o.fileName)
  const early = refuseBeforeDecoding(bytes, label)
  if (early) return early
  try {
    const { quality, wav } = await runDecodeJob({ kind: 'check-sample', bytes, fileName: o.fileName }, { timeLimitMs: o.timeLimitMs })
    return { quality, wav: wav ? Buffer.from(wav.buffer, wav.byteOffset, wav.byteLength) : null }
  } catch (err) {
    return refusal(`${label} could not be read as audio: ${(err as Error).message}`)
  }
}

/** The checks themselves, in the calling thread (the decode worker runs them). */
export async function checkSampleInThisThread(bytes: Uint8Array, o: { fileName?: string } = {}): Promise<SampleCheck> {
  const label = labelOf(o.fileName)
  const early = refuseBeforeDecoding(bytes, label)
  if (early) return early

  let input: InputAudio
  try {
    const read = await readInput(bytes, label)
    if (typeof read === 'string') return refusal(read)
    input = read
  } catch (err) {
    return refusal(`${label} could not be read as audio: ${(err as Error).message}`)
  }
  const inputFacts: Partial<SampleQuality> = {
    inputFormat: input.format,
    inputSampleRate: input.sampleRate,
    inputBitsPerSample: input.bitsPerSample,
    channelsIn: input.channels.length,
    inputDurationSec: round(input.frames / input.sampleRate, 3)
  }
  if (input.frames === 0) return refusal(`${label} holds no audio (only a header?).`, inputFacts)

  const warnings: string[] = []
  const refusals: string[] = []

  // Clipping is counted on every channel before mixing: mixing could hide a clipped channel.
  const clipLevel = Math.min(SAMPLE_LIMITS.clipLevel, input.maxPositive)
  let clipped = 0
  for (const ch of input.channels) for (let i = 0; i < ch.length; i++) if (Math.abs(ch[i]) >= clipLevel) clipped++
  const clippingShare = clipped / (input.frames * input.channels.length)

  const rate = Math.min(SAMPLE_LIMITS.maxRate, Math.max(SAMPLE_LIMITS.minRate, input.sampleRate))
  let mono = input.mono
  if (rate !== input.sampleRate) mono = resample(mono, input.sampleRate, rate)
  const pcm = floatToPcm16(mono)

  const frameLength = Math.max(1, Math.round((rate * SAMPLE_LIMITS.frameMs) / 1000))
  const noiseDbfs = percentileDbfs(frameRmsDbfs(pcm, frameLength), 0.1)

  const trimmed = trimSilence(pcm, rate)
  const speechFrames = trimmed.pcm.length
  if (trimmed.speechMs <= 0 || speechFrames === 0) {
    return refusal('No speech was heard in the sample: it is silent or too quiet. Record again closer to the microphone.', {
      ...inputFacts,
      sampleRate: rate,
      clippingShare: round(clippingShare, 6),
      noiseDbfs: round(noiseDbfs, 1),
      peakDbfs: round(floorDb(measureLevel(pcm).peakDbfs), 1),
      rmsDbfs: round(floorDb(measureLevel(pcm).rmsDbfs), 1)
    })
  }
  const speechSec = speechFrames / rate
  let kept = trimmed.pcm
  if (speechSec > SAMPLE_LIMITS.maxSec) {
    kept = kept.subarray(0, quietCutPoint(kept, rate, frameLength))
    warnings.push(
      `The speech is ${speechSec.toFixed(1)} s long: only the first ${(kept.length / rate).toFixed(1)} s are kept (the service takes at most ${SAMPLE_LIMITS.maxSec} s).`
    )
  }
  const durationSec = kept.length / rate

  const level = measureLevel(kept)
  const rmsDbfs = speechLoudnessDbfs(kept, frameLength, noiseDbfs)
  const wav = encodeWav(kept, rate, 1)
  const base64Bytes = DATA_URI_PREFIX.length + Math.ceil(wav.length / 3) * 4

  if (durationSec < SAMPLE_LIMITS.minSec) {
    refusals.push(
      `There are only ${durationSec.toFixed(1)} s of speech: at least ${SAMPLE_LIMITS.minSec} s are needed (${SAMPLE_LIMITS.recommendedMinSec} to ${SAMPLE_LIMITS.maxSec} s is best).`
    )
  } else if (durationSec < SAMPLE_LIMITS.recommendedMinSec) {
    warnings.push(
      `There are only ${durationSec.toFixed(1)} s of speech: ${SAMPLE_LIMITS.recommendedMinSec} to ${SAMPLE_LIMITS.maxSec} s give a closer voice.`
    )
  }
  if (base64Bytes > SAMPLE_LIMITS.maxDataUriBytes) {
    refusals.push(`The sample is ${mb(base64Bytes)} MB as sent, over the service's limit of 10 MB.`)
  }
  if (clippingShare > SAMPLE_LIMITS.clipWarnShare) {
    warnings.push(
      `${pct(clippingShare)} of the samples are clipped (at full scale): the recording is distorted. Record again a little quieter or further from the microphone.`
    )
  }
  if (rmsDbfs < SAMPLE_LIMITS.loudnessMinDbfs) {
    warnings.push(`The speech is quiet (${rmsDbfs.toFixed(1)} dBFS, best between -30 and -10): speak up or move closer to the microphone.`)
  } else if (rmsDbfs > SAMPLE_LIMITS.loudnessMaxDbfs) {
    warnings.push(`The speech is very loud (${rmsDbfs.toFixed(1)} dBFS, best between -30 and -10): it may be distorted.`)
  }
  if (noiseDbfs > SAMPLE_LIMITS.noiseWarnDbfs) {
    warnings.push(
      `There is background noise (about ${noiseDbfs.toFixed(1)} dBFS between words, best below ${SAMPLE_LIMITS.noiseWarnDbfs}): the clone copies it. Record in a quieter room.`
    )
  }
  if (input.sampleRate < SAMPLE_LIMITS.minRate) {
    warnings.push(`The recording's rate is only ${input.sampleRate} Hz: it was raised to ${rate} Hz, but the detail it lacks cannot come back.`)
  }
  if (input.bitsPerSample > 0 && input.bitsPerSample <= 8) {
    warnings.push('The recording is 8-bit: it was converted to 16-bit, but 8-bit audio carries audible hiss.')
  }

  const quality: SampleQuality = {
    durationSec: round(durationSec, 3),
    sampleRate: rate,
    channelsIn: input.channels.length,
    clippingShare: round(clippingShare, 6),
    rmsDbfs: round(rmsDbfs, 1),
    peakDbfs: round(floorDb(level.peakDbfs), 1),
    noiseDbfs: round(noiseDbfs, 1),
    trimmedLeadingSec: round(trimmed.leadingMs / 1000, 3),
    trimmedTrailingSec: round(trimmed.trailingMs / 1000, 3),
    base64Bytes,
    warnings,
    refusals,
    ...inputFacts,
    speechSec: round(speechSec, 3),
    snrDb: round(rmsDbfs - noiseDbfs, 1),
    resampled: rate !== input.sampleRate
  }
  return { quality, wav: refusals.length === 0 ? wav : null }
}

const labelOf = (fileName: string | undefined): string => (fileName ? `'${fileName}'` : 'The file')

/** A refused sample: the reason, the figures known so far, the rest marked unavailable. */
function refusal(reason: string, partial: Partial<SampleQuality> = {}): SampleCheck {
  return {
    quality: {
      ...emptyQuality(),
      ...partial,
      refusals: [reason],
      unavailable: FIGURES.filter((figure) => partial[figure] === undefined)
    },
    wav: null
  }
}

/** What can be refused from the size and the header alone, without decoding anything. */
function refuseBeforeDecoding(bytes: Uint8Array, label: string): SampleCheck | null {
  if (bytes.length === 0) return refusal(`${label} is empty.`)
  if (bytes.length > SAMPLE_LIMITS.maxInputBytes) {
    return refusal(`${label} is ${mb(bytes.length)} MB: a voice sample of 5 to 30 seconds is far smaller. Trim it first.`)
  }
  if (sniffAudioFile(bytes) === null && !findFirstMp3Frame(bytes)) {
    return refusal(`${label} is not a WAV or MP3 file (${describeBytes(bytes)}). Use a WAV or MP3 recording.`)
  }
  try {
    readAudioHeader(bytes, label)
  } catch (err) {
    return refusal((err as Error).message)
  }
  return null
}

interface InputAudio {
  format: 'wav' | 'mp3'
  sampleRate: number
  frames: number
  /** 0 when the format has no fixed sample size (MP3). */
  bitsPerSample: number
  /** Largest positive value the encoding can hold (an 8-bit file never reaches 0.999). */
  maxPositive: number
  channels: Float32Array[]
  mono: Float32Array
}

/** The decoded input, or a sentence saying why the file is not a usable WAV or MP3. */
async function readInput(bytes: Uint8Array, label: string): Promise<InputAudio | string> {
  const kind = sniffAudioFile(bytes)
  if (kind === 'wav') {
    const decoded = decodeWav(bytes)
    return {
      format: 'wav',
      sampleRate: decoded.sampleRate,
      frames: decoded.frames,
      bitsPerSample: decoded.bitsPerSample,
      maxPositive: decoded.format === 'pcm' ? 1 - 1 / 2 ** (decoded.bitsPerSample - 1) : 1,
      channels: decoded.samples,
      mono: decoded.frames > 0 ? toMono(decoded) : new Float32Array(0)
    }
  }
  const info = readMp3Info(bytes)
  if (kind === 'mp3' || info) {
    if (!info) return `${label} looks like an MP3 file but holds no complete audio frame.`
    // The header's estimate trusted the first frame; the frames counted now are exact.
    if (info.durationSec > AUDIO_FILE_LIMITS.maxSeconds) {
      return `${label} is ${Math.round(info.durationSec / 60)} minutes long; at most ${AUDIO_FILE_LIMITS.maxSeconds / 60} minutes can be read. Trim it first.`
    }
    const decoded = await decodeMp3(bytes, info)
    const frames = decoded.channels[0]?.length ?? 0
    const asDecoded: DecodedAudio = {
      sampleRate: decoded.sampleRate,
      channels: decoded.channels.length,
      frames,
      bitsPerSample: 32,
      format: 'float',
      samples: decoded.channels
    }
    return {
      format: 'mp3',
      sampleRate: decoded.sampleRate,
      frames,
      bitsPerSample: 0,
      maxPositive: 1,
      channels: decoded.channels,
      mono: frames > 0 ? toMono(asDecoded) : new Float32Array(0)
    }
  }
  return `${label} is not a WAV or MP3 file (${describeBytes(bytes)}). Use a WAV or MP3 recording.`
}

/** What a file that is not WAV or MP3 seems to be, for the refusal message. */
function describeBytes(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 512))
  const ascii = head.toString('latin1')
  if (ascii.startsWith('fLaC')) return 'it is FLAC: convert it to WAV'
  if (ascii.startsWith('OggS')) return 'it is Ogg: convert it to WAV'
  if (ascii.slice(4, 8) === 'ftyp') return 'it is MP4/M4A: convert it to WAV'
  if (ascii.startsWith('RIFF')) return 'it is a RIFF file, but not WAVE audio'
  let printable = 0
  for (const byte of head) if (byte === 9 || byte === 10 || byte === 13 || (byte >= 32 && byte < 127) || byte >= 0xc2) printable++
  if (printable / head.length > 0.95) return 'it holds text'
  return 'its content is not audio this app can read'
}

/** RMS of each whole frame, in dBFS (digital silence reads as FLOOR_DBFS). */
export function frameRmsDbfs(pcm: Int16Array, frameLength: number): number[] {
  const out: number[] = []
  for (let start = 0; start + frameLength <= pcm.length; start += frameLength) {
    let sum = 0
    for (let i = start; i < start + frameLength; i++) sum += pcm[i] * pcm[i]
    out.push(powerToDbfs(sum / frameLength))
  }
  if (out.length === 0 && pcm.length > 0) {
    let sum = 0
    for (let i = 0; i < pcm.length; i++) sum += pcm[i] * pcm[i]
    out.push(powerToDbfs(sum / pcm.length))
  }
  return out
}

function powerToDbfs(meanSquare: number): number {
  return meanSquare > 0 ? Math.max(FLOOR_DBFS, 10 * Math.log10(meanSquare / (32768 * 32768))) : FLOOR_DBFS
}

function percentileDbfs(values: number[], p: number): number {
  if (values.length === 0) return FLOOR_DBFS
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]
}

/**
 * Loudness of the speech alone: the RMS over frames within 30 dB of the loudest one and clear of the noise,
 * so the pauses between words do not pull the figure down.
 */
function speechLoudnessDbfs(pcm: Int16Array, frameLength: number, noiseDbfs: number): number {
  const frames = frameRmsDbfs(pcm, frameLength)
  const loudest = Math.max(...frames)
  const gate = Math.max(loudest - 30, noiseDbfs + 6)
  let power = 0
  let count = 0
  for (const db of frames) {
    if (db < gate) continue
    power += 10 ** (db / 10)
    count++
  }
  return count === 0 ? loudest : Math.max(FLOOR_DBFS, 10 * Math.log10(power / count))
}

/** Where to cut speech longer than the limit: at the quietest frame of its last 1.5 s, so no word is cut in half. */
function quietCutPoint(pcm: Int16Array, rate: number, frameLength: number): number {
  const limit = Math.floor(SAMPLE_LIMITS.maxSec * rate)
  const from = Math.max(0, limit - Math.floor(1.5 * rate))
  let best = limit
  let bestPower = Infinity
  for (let start = from; start + frameLength <= limit; start += frameLength) {
    let sum = 0
    for (let i = start; i < start + frameLength; i++) sum += pcm[i] * pcm[i]
    if (sum <= bestPower) {
      bestPower = sum
      best = start + frameLength
    }
  }
  return best
}

function emptyQuality(): SampleQuality {
  return {
    durationSec: 0,
    sampleRate: 0,
    channelsIn: 0,
    clippingShare: 0,
    rmsDbfs: FLOOR_DBFS,
    peakDbfs: FLOOR_DBFS,
    noiseDbfs: FLOOR_DBFS,
    trimmedLeadingSec: 0,
    trimmedTrailingSec: 0,
    base64Bytes: 0,
    warnings: [],
    refusals: []
  }
}

const floorDb = (db: number): number => (Number.isFinite(db) ? Math.max(FLOOR_DBFS, db) : FLOOR_DBFS)
const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits
const mb = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(1)
const pct = (share: number): string => `${(share * 100).toFixed(share < 0.01 ? 2 : 1)} %`
