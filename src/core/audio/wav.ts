/**
 * WAV in and out, and the conversions an upload needs: any WAV the user drops in becomes
 * 16 kHz mono PCM16; MP3 passes through untouched (the service reads it); anything else is refused.
 */
import { fourcc, readAudioHeader, sniffAudioFile } from './audio-header'
import { AudioFormatError } from './errors'

export { sniffAudioFile }

export const UPLOAD_SAMPLE_RATE = 16000

const NOT_AUDIO = 'This file is not a WAV or MP3 recording.'
const NOT_AUDIO_HINT = 'Record it again, or save it as WAV or MP3 first.'

const WAVE_FORMAT_PCM = 0x0001
const WAVE_FORMAT_IEEE_FLOAT = 0x0003
const WAVE_FORMAT_EXTENSIBLE = 0xfffe

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

/** A canonical 44-byte-header PCM16 WAV. Interleaved samples when channels > 1. */
export function encodeWav(pcm: Int16Array, sampleRate: number, channels = 1): Buffer {
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) throw new RangeError(`Bad sample rate: ${sampleRate}`)
  if (!Number.isInteger(channels) || channels <= 0) throw new RangeError(`Bad channel count: ${channels}`)
  const dataBytes = pcm.length * 2
  const out = Buffer.allocUnsafe(44 + dataBytes)
  writeWavHeader(out, sampleRate, channels, dataBytes)
  if (littleEndianHost) {
    Buffer.from(pcm.buffer, pcm.byteOffset, dataBytes).copy(out, 44)
  } else {
    for (let i = 0; i < pcm.length; i++) out.writeInt16LE(pcm[i], 44 + i * 2)
  }
  return out
}

/** Writes the 44-byte PCM16 header into `out` (used again to fix the sizes of a streamed file). */
export function writeWavHeader(out: Buffer, sampleRate: number, channels: number, dataBytes: number): void {
  out.write('RIFF', 0, 'ascii')
  out.writeUInt32LE(Math.min(0xffffffff, 36 + dataBytes + (dataBytes % 2)), 4)
  out.write('WAVE', 8, 'ascii')
  out.write('fmt ', 12, 'ascii')
  out.writeUInt32LE(16, 16)
  out.writeUInt16LE(WAVE_FORMAT_PCM, 20)
  out.writeUInt16LE(channels, 22)
  out.writeUInt32LE(sampleRate, 24)
  out.writeUInt32LE(sampleRate * channels * 2, 28)
  out.writeUInt16LE(channels * 2, 32)
  out.writeUInt16LE(16, 34)
  out.write('data', 36, 'ascii')
  out.writeUInt32LE(Math.min(0xffffffff, dataBytes), 40)
}

export interface DecodedAudio {
  sampleRate: number
  channels: number
  frames: number
  /** Bits per sample of the container (a 24-bit sample in a 32-bit slot says 32). */
  bitsPerSample: number
  format: 'pcm' | 'float'
  /** One array per channel, -1..1. */
  samples: Float32Array[]
}

interface FmtChunk {
  formatTag: number
  channels: number
  sampleRate: number
  bitsPerSample: number
}

function isChunkId(bytes: Uint8Array, at: number): boolean {
  if (at + 4 > bytes.length) return false
  for (let i = 0; i < 4; i++) {
    const c = bytes[at + i]
    if (c < 0x20 || c > 0x7e) return false
  }
  return true
}

/**
 * Reads a WAV (RIFF or RF64): PCM 8/16/24/32-bit, IEEE float 32/64, WAVE_FORMAT_EXTENSIBLE, any
 * rate and channel count. Tolerates what real writers produce: chunks before and after `data`,
 * odd-size chunks with or without their pad byte, a data size of 0 or 0xFFFFFFFF (streaming
 * writers that never came back to fix the header) and files cut short (uses what is there).
 */
export function decodeWav(bytes: Uint8Array): DecodedAudio {
  if (sniffAudioFile(bytes) !== 'wav') throw new AudioFormatError(NOT_AUDIO, NOT_AUDIO_HINT)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const rf64 = fourcc(bytes, 0) === 'RF64'
  let rf64DataSize: number | undefined
  let fmt: FmtChunk | undefined
  let dataStart = -1
  let dataEnd = -1

  let at = 12
  while (at + 8 <= bytes.length) {
    const id = fourcc(bytes, at)
    let size = view.getUint32(at + 4, true)
    const body = at + 8
    if (id === 'fmt ') {
      fmt = parseFmt(view, body, Math.min(size, bytes.length - body))
    } else if (id === 'ds64' && size >= 16 && body + 16 <= bytes.length) {
      rf64DataSize = view.getUint32(body + 8, true) + view.getUint32(body + 12, true) * 2 ** 32
    } else if (id === 'data') {
      dataStart = body
      let declared = size
      // 0 or 0xFFFFFFFF: a streaming writer never patched the size (RF64 keeps the real one in ds64).
      let placeholder = size === 0 || size === 0xffffffff
      if (rf64 && size === 0xffffffff && rf64DataSize !== undefined && rf64DataSize > 0) {
        declared = rf64DataSize
        placeholder = false
      }
      // Past the end of the bytes: a cut file.
      if (placeholder || body + declared > bytes.length) {
        dataEnd = bytes.length
        break
      }
      dataEnd = body + declared
      size = declared
    }
    let next = body + size
    // Chunks are word-aligned: an odd size is followed by a pad byte, which some writers forget.
    if (size % 2 === 1 && !(isChunkId(bytes, next) && !isChunkId(bytes, next + 1))) next += 1
    if (next <= at) break
    at = next
  }

  if (!fmt) throw new AudioFormatError('This WAV file has no format description (fmt chunk), so it cannot be read.', NOT_AUDIO_HINT)
  if (dataStart < 0) throw new AudioFormatError('This WAV file holds no audio (no data chunk).', NOT_AUDIO_HINT)

  const { formatTag, channels, sampleRate, bitsPerSample } = fmt
  let format: 'pcm' | 'float'
  if (formatTag === WAVE_FORMAT_PCM && [8, 16, 24, 32].includes(bitsPerSample)) format = 'pcm'
  else if (formatTag === WAVE_FORMAT_IEEE_FLOAT && (bitsPerSample === 32 || bitsPerSample === 64)) format = 'float'
  else
    throw new AudioFormatError(
      `This WAV file uses an encoding that cannot be read (format ${formatTag}, ${bitsPerSample}-bit). Use PCM or float WAV, or MP3.`,
      'Convert it first, e.g. sox in.wav -b 16 out.wav'
    )
  if (channels < 1 || sampleRate < 1)
    throw new AudioFormatError(`This WAV file declares ${channels} channels at ${sampleRate} Hz, which cannot be played.`, NOT_AUDIO_HINT)

  const bytesPerSample = bitsPerSample / 8
  const blockAlign = bytesPerSample * channels
  const frames = Math.floor((dataEnd - dataStart) / blockAlign)
  const samples = Array.from({ length: channels }, () => new Float32Array(frames))
  const read = sampleReader(view, format, bitsPerSample)
  for (let f = 0, pos = dataStart; f < frames; f++) {
    for (let c = 0; c < channels; c++, pos += bytesPerSample) samples[c][f] = read(pos)
  }
  return { sampleRate, channels, frames, bitsPerSample, format, samples }
}

function parseFmt(view: DataView, at: number, size: number): FmtChunk {
  if (size < 16) throw new AudioFormatError('This WAV file has a broken format description.', NOT_AUDIO_HINT)
  let formatTag = view.getUint16(at, true)
  const channels = view.getUint16(at + 2, true)
  const sampleRate = view.getUint32(at + 4, true)
  const bitsPerSample = view.getUint16(at + 14, true)
  if (formatTag === WAVE_FORMAT_EXTENSIBLE) {
    // cbSize(2) validBits(2) channelMask(4) then the SubFormat GUID, whose first two bytes are the format.
    if (size < 40) throw new AudioFormatError('This WAV file has a broken extensible format description.', NOT_AUDIO_HINT)
    formatTag = view.getUint16(at + 24, true)
  }
  return { formatTag, channels, sampleRate, bitsPerSample }
}

function sampleReader(view: DataView, format: 'pcm' | 'float', bits: number): (at: number) => number {
  if (format === 'float') {
    return bits === 32
      ? (at) => finite(view.getFloat32(at, true))
      : (at) => finite(view.getFloat64(at, true))
  }
  switch (bits) {
    case 8:
      return (at) => (view.getUint8(at) - 128) / 128
    case 16:
      return (at) => view.getInt16(at, true) / 32768
    case 24:
      return (at) => ((view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16)) / 8388608)
    default:
      return (at) => view.getInt32(at, true) / 2147483648
  }
}

function finite(x: number): number {
  return Number.isFinite(x) ? x : 0
}

/** The average of the channels. */
export function toMono(decoded: DecodedAudio): Float32Array {
  const { samples, frames, channels } = decoded
  if (channels === 1) return samples[0].slice()
  const out = new Float32Array(frames)
  for (const channel of samples) for (let i = 0; i < frames; i++) out[i] += channel[i]
  for (let i = 0; i < frames; i++) out[i] /= channels
  return out
}

// The resampler: Kaiser-windowed sinc (beta 8.6, about 80 dB stop band), 16 zero crossings each
// side, cut off at 0.9 x the lower of the two Nyquist frequencies, so a downsample does not alias.
// The kernel is tabulated once at 256 points per zero crossing and read with linear interpolation.
const ZERO_CROSSINGS = 16
const TABLE_STEPS = 256
const KAISER_BETA = 8.6
const CUTOFF = 0.9

let kernelTable: Float32Array | undefined

function besselI0(x: number): number {
  let sum = 1
  let term = 1
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2
    sum += term
    if (term < sum * 1e-12) break
  }
  return sum
}

function kernel(): Float32Array {
  if (kernelTable) return kernelTable
  const n = ZERO_CROSSINGS * TABLE_STEPS
  const table = new Float32Array(n + 2)
  const i0Beta = besselI0(KAISER_BETA)
  for (let i = 0; i <= n; i++) {
    const x = i / TABLE_STEPS // in zero crossings
    const sinc = i === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x)
    const r = x / ZERO_CROSSINGS
    table[i] = sinc * (besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta)
  }
  kernelTable = table
  return table
}

/** Band-limited resampling from one rate to another (see the note above on the filter). */
export function resample(samples: Float32Array, from: number, to: number): Float32Array {
  if (!(from > 0) || !(to > 0)) throw new RangeError(`Bad sample rates: ${from} -> ${to}`)
  if (from === to) return samples.slice()
  const table = kernel()
  const outLength = Math.round((samples.length * to) / from)
  const out = new Float32Array(outLength)
  const step = from / to // input samples per output sample
  // Cut-off relative to the input rate; the kernel widens (in input samples) when it drops.
  const fc = Math.min(1, to / from) * CUTOFF
  const halfWidth = ZERO_CROSSINGS / fc // in input samples
  const tableScale = fc * TABLE_STEPS // table index per input sample of distance
  const n = samples.length
  for (let o = 0; o < outLength; o++) {
    const t = o * step
    const first = Math.max(0, Math.ceil(t - halfWidth))
    const last = Math.min(n - 1, Math.floor(t + halfWidth))
    let acc = 0
    for (let k = first; k <= last; k++) {
      const pos = Math.abs(t - k) * tableScale
      const i = pos | 0
      const frac = pos - i
      acc += samples[k] * (table[i] + (table[i + 1] - table[i]) * frac)
    }
    out[o] = acc * fc
  }
  return out
}

/** -1..1 floats to PCM16, clipped; exact for values that came from PCM16 (scale 32768). */
export function floatToPcm16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length)
  for (let i = 0; i < samples.length; i++) {
    const v = Math.round(samples[i] * 32768)
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v
  }
  return out
}

/**
 * What the service gets from a file: a WAV becomes 16 kHz mono PCM16 WAV (other chunks dropped),
 * an MP3 passes as it is, anything else is refused with AudioFormatError.
 */
export function prepareForUpload(bytes: Uint8Array): { bytes: Buffer; container: 'wav' | 'mp3'; durationSec?: number } {
  // The header first: a file that declares something no recorder makes is refused before any decoding.
  const header = readAudioHeader(bytes, 'This file')
  if (header.container === 'mp3') return { bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), container: 'mp3' }
  const { pcm, durationSec } = wavAsUploadPcm(bytes)
  return { bytes: encodeWav(pcm, UPLOAD_SAMPLE_RATE, 1), container: 'wav', durationSec }
}

/** A WAV file's audio as the service hears it best: 16 kHz mono PCM16 (its header judged first). */
export function wavAsUploadPcm(bytes: Uint8Array): { pcm: Int16Array; durationSec: number } {
  readAudioHeader(bytes, 'This file')
  const decoded = decodeWav(bytes)
  if (decoded.frames === 0) throw new AudioFormatError('This WAV file holds no audio.', NOT_AUDIO_HINT)
  const mono = resample(toMono(decoded), decoded.sampleRate, UPLOAD_SAMPLE_RATE)
  return { pcm: floatToPcm16(mono), durationSec: decoded.frames / decoded.sampleRate }
}
