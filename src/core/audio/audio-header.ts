/**
 * A file is judged by its header before a single sample is decoded: what it declares (rate, channels,
 * sample format, length) must be something a microphone could have made, or it is refused at once with
 * a sentence that says what is wrong. Decoding a hostile header (an 8-bit WAV that declares 1000 Hz, a
 * low-bitrate MP3 of many hours) costs seconds and gigabytes; reading the header costs microseconds.
 */
import { AudioFormatError } from './errors'
import { findFirstMp3Frame, readXingFrameCount, startsWithMp3Frames } from './mp3'

export const AUDIO_FILE_LIMITS = {
  minRate: 8_000,
  maxRate: 192_000,
  maxChannels: 8,
  /** A question or a voice sample is seconds long; ten minutes is far beyond either. */
  maxSeconds: 600,
  /** Chunks a WAV may have before its audio: real writers use a handful. */
  maxChunks: 1_000
} as const

const PCM = 0x0001
const FLOAT = 0x0003
const EXTENSIBLE = 0xfffe
const HINT = 'Use a WAV or MP3 recording of a few seconds to a few minutes, or convert it first, e.g. sox in.wav -r 16000 -b 16 out.wav'

export interface AudioHeader {
  container: 'wav' | 'mp3'
  sampleRate: number
  channels: number
  /** 0 for MP3 (no fixed sample size). */
  bitsPerSample: number
  /** The length the header declares (WAV), or the frame count times the frame length (MP3). */
  durationSec: number
}

export function fourcc(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3])
}

/** What the bytes are, by their content (never by a file name). */
export function sniffAudioFile(bytes: Uint8Array): 'wav' | 'mp3' | null {
  if (bytes.length >= 12) {
    const riff = fourcc(bytes, 0)
    if ((riff === 'RIFF' || riff === 'RF64') && fourcc(bytes, 8) === 'WAVE') return 'wav'
  }
  if (bytes.length >= 10 && bytes[0] === 0x49 && bytes[1] === 0x44 && bytes[2] === 0x33 && bytes[3] < 0xff && bytes[4] < 0xff) return 'mp3' // "ID3"
  return startsWithMp3Frames(bytes) ? 'mp3' : null
}

/**
 * The header of a WAV or MP3 file, after checking that it declares a sane recording. Throws
 * AudioFormatError naming what is wrong (`label` is how the message names the file). Reads only headers:
 * constant time in the size of the audio.
 */
export function readAudioHeader(bytes: Uint8Array, label = 'The file'): AudioHeader {
  const kind = sniffAudioFile(bytes)
  if (kind === 'wav') return judge(readWavHeader(bytes, label), label)
  const mp3 = readMp3Header(bytes)
  if (mp3) return judge(mp3, label)
  if (kind === 'mp3') throw new AudioFormatError(`${label} looks like an MP3 file but holds no complete audio frame.`, HINT)
  throw new AudioFormatError(`${label} is not a WAV or MP3 recording.`, HINT)
}

function judge(h: AudioHeader, label: string): AudioHeader {
  const L = AUDIO_FILE_LIMITS
  if (!(h.sampleRate >= L.minRate && h.sampleRate <= L.maxRate)) {
    throw new AudioFormatError(
      `${label} declares a sample rate of ${h.sampleRate} Hz; recordings are ${L.minRate / 1000} to ${L.maxRate / 1000} kHz. The file is damaged or not a recording.`,
      HINT
    )
  }
  if (!(h.channels >= 1 && h.channels <= L.maxChannels)) {
    throw new AudioFormatError(`${label} declares ${h.channels} channels; 1 to ${L.maxChannels} can be read.`, HINT)
  }
  if (h.durationSec > L.maxSeconds) {
    throw new AudioFormatError(
      `${label} is ${Math.round(h.durationSec / 60)} minutes long; at most ${L.maxSeconds / 60} minutes can be read. Trim it first.`,
      HINT
    )
  }
  return h
}

function readWavHeader(b: Uint8Array, label: string): AudioHeader {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength)
  let fmt: { formatTag: number; channels: number; sampleRate: number; bitsPerSample: number } | undefined
  let dataBytes = -1
  let rf64Data: number | undefined
  let at = 12
  for (let chunks = 0; at + 8 <= b.length && (fmt === undefined || dataBytes < 0); chunks++) {
    if (chunks >= AUDIO_FILE_LIMITS.maxChunks) throw new AudioFormatError(`${label} has too many parts before its audio to be a recording.`, HINT)
    const id = fourcc(b, at)
    const size = view.getUint32(at + 4, true)
    const body = at + 8
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > b.length) throw new AudioFormatError(`${label} has a broken format description.`, HINT)
      let formatTag = view.getUint16(body, true)
      if (formatTag === EXTENSIBLE && size >= 40 && body + 26 <= b.length) formatTag = view.getUint16(body + 24, true)
      fmt = { formatTag, channels: view.getUint16(body + 2, true), sampleRate: view.getUint32(body + 4, true), bitsPerSample: view.getUint16(body + 14, true) }
    } else if (id === 'ds64' && size >= 16 && body + 16 <= b.length) {
      rf64Data = view.getUint32(body + 8, true) + view.getUint32(body + 12, true) * 2 ** 32
    } else if (id === 'data') {
      const available = b.length - body
      let declared = size === 0xffffffff && rf64Data !== undefined ? rf64Data : size
      // A streaming writer that never patched the size, or a cut file: what is there counts.
      if (declared === 0 || declared === 0xffffffff || declared > available) declared = available
      dataBytes = declared
    }
    const next = body + size + (size % 2)
    if (next <= at) break
    at = next
  }
  if (!fmt) throw new AudioFormatError(`${label} has no format description (fmt chunk), so it cannot be read.`, HINT)
  if (dataBytes < 0) throw new AudioFormatError(`${label} holds no audio (no data chunk).`, HINT)
  const { formatTag, channels, sampleRate, bitsPerSample } = fmt
  const known = (formatTag === PCM && [8, 16, 24, 32].includes(bitsPerSample)) || (formatTag === FLOAT && (bitsPerSample === 32 || bitsPerSample === 64))
  if (!known) {
    throw new AudioFormatError(
      `${label} uses an encoding that cannot be read (format ${formatTag}, ${bitsPerSample}-bit). Use PCM or float WAV, or MP3.`,
      'Convert it first, e.g. sox in.wav -b 16 out.wav'
    )
  }
  const frameBytes = (bitsPerSample / 8) * Math.max(1, channels)
  const durationSec = sampleRate > 0 ? Math.floor(dataBytes / frameBytes) / sampleRate : 0
  return { container: 'wav', sampleRate, channels, bitsPerSample, durationSec }
}

/** The first frame of an MP3 and the length it implies; null when there is none. */
function readMp3Header(b: Uint8Array): AudioHeader | null {
  const found = findFirstMp3Frame(b)
  if (!found) return null
  const { start, header: h } = found
  // A VBR file says how many frames it has; otherwise every frame is as long as the first.
  const frames = readXingFrameCount(b, start, h) ?? Math.floor((b.length - start) / h.length)
  return { container: 'mp3', sampleRate: h.sampleRate, channels: h.channels, bitsPerSample: 0, durationSec: (frames * h.samplesPerFrame) / h.sampleRate }
}
