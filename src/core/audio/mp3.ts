/**
 * MP3 files: the frame headers are read here (rate, channels, length, where the audio starts and ends),
 * and the audio is decoded with mpg123 compiled to WebAssembly (the `mpg123-decoder` package), loaded
 * only when an MP3 has to be measured.
 */

export interface Mp3Info {
  sampleRate: number
  /** From the channel mode of the first frame: 1 (mono) or 2. */
  channels: number
  /** Audio frames (a Xing/Info header frame is not counted). */
  frames: number
  samplesPerFrame: number
  durationSec: number
  /** Byte range of the consecutive frames found: only these go to the decoder. */
  start: number
  end: number
  /** Bytes after the frames that are not frames (cut file, trailing tags or junk). */
  trailingBytes: number
}

export interface DecodedMp3 {
  sampleRate: number
  channels: Float32Array[]
}

const BITRATES: Record<string, number[]> = {
  '1-1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  '1-2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  '1-3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  '2-1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  '2-2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  '2-3': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]
}
const SAMPLE_RATES: Record<number, number[]> = { 1: [44100, 48000, 32000], 2: [22050, 24000, 16000], 25: [11025, 12000, 8000] }

export interface Mp3FrameHeader {
  length: number
  sampleRate: number
  channels: number
  samplesPerFrame: number
  /** MPEG version (1, 2 or 25 for 2.5) and layer: frames of one stream share them. */
  version: number
  layer: number
}

/** The MPEG audio frame header at byte `i`, or null (free-format bitrates are not supported). */
export function readMp3FrameHeader(b: Uint8Array, i: number): Mp3FrameHeader | null {
  if (i + 4 > b.length) return null
  if (b[i] !== 0xff || (b[i + 1] & 0xe0) !== 0xe0) return null
  const versionBits = (b[i + 1] >> 3) & 3
  const layerBits = (b[i + 1] >> 1) & 3
  if (versionBits === 1 || layerBits === 0) return null
  const version = versionBits === 3 ? 1 : versionBits === 2 ? 2 : 25
  const layer = 4 - layerBits
  const bitrateIndex = b[i + 2] >> 4
  const rateIndex = (b[i + 2] >> 2) & 3
  if (bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null // free format is not supported
  const padding = (b[i + 2] >> 1) & 1
  const channels = (b[i + 3] >> 6) === 3 ? 1 : 2
  const bitrate = BITRATES[`${version === 1 ? 1 : 2}-${layer}`][bitrateIndex] * 1000
  const sampleRate = SAMPLE_RATES[version][rateIndex]
  let length: number
  let samplesPerFrame: number
  if (layer === 1) {
    length = (Math.floor((12 * bitrate) / sampleRate) + padding) * 4
    samplesPerFrame = 384
  } else if (layer === 3 && version !== 1) {
    length = Math.floor((72 * bitrate) / sampleRate) + padding
    samplesPerFrame = 576
  } else {
    length = Math.floor((144 * bitrate) / sampleRate) + padding
    samplesPerFrame = 1152
  }
  return length >= 4 ? { length, sampleRate, channels, samplesPerFrame, version, layer } : null
}

/** An MPEG audio frame at `at`, confirmed by the next frame's header when the bytes reach that far. */
export function startsWithMp3Frames(bytes: Uint8Array, at = 0): boolean {
  const header = readMp3FrameHeader(bytes, at)
  if (!header) return false
  return at + header.length + 4 > bytes.length || readMp3FrameHeader(bytes, at + header.length) !== null
}

/** Bytes taken by an ID3v2 tag at the start of the file (0 when there is none). */
export function id3v2Size(b: Uint8Array): number {
  if (b.length < 10 || b[0] !== 0x49 || b[1] !== 0x44 || b[2] !== 0x33) return 0
  const size = ((b[6] & 0x7f) << 21) | ((b[7] & 0x7f) << 14) | ((b[8] & 0x7f) << 7) | (b[9] & 0x7f)
  const footer = (b[5] & 0x10) !== 0 ? 10 : 0
  return 10 + size + footer
}

/** True when a frame carries a Xing/Info (VBR) header rather than audio. */
function isInfoFrame(b: Uint8Array, start: number, length: number): boolean {
  const text = Buffer.from(b.buffer, b.byteOffset + start, Math.min(length, b.length - start)).toString('latin1')
  return text.includes('Xing') || text.includes('Info')
}

/**
 * The first frame of the stream: within 64 KB after any ID3 tag, and followed by a frame of the same
 * kind where it ends (a stray 0xFF byte can look like a header). Null when there is none.
 */
export function findFirstMp3Frame(bytes: Uint8Array): { start: number; header: Mp3FrameHeader } | null {
  const searchFrom = id3v2Size(bytes)
  const searchLimit = Math.min(bytes.length, searchFrom + 64 * 1024)
  for (let i = searchFrom; i < searchLimit; i++) {
    const h = readMp3FrameHeader(bytes, i)
    if (!h) continue
    const next = readMp3FrameHeader(bytes, i + h.length)
    if (next && next.version === h.version && next.layer === h.layer && next.sampleRate === h.sampleRate) return { start: i, header: h }
  }
  return null
}

/** The frame count a VBR file's Xing/Info header declares in its first frame, when it declares one. */
export function readXingFrameCount(b: Uint8Array, start: number, h: Mp3FrameHeader): number | undefined {
  const end = Math.min(b.length, start + h.length)
  for (let i = start + 4; i + 12 <= end; i++) {
    const id = String.fromCharCode(b[i], b[i + 1], b[i + 2], b[i + 3])
    if (id !== 'Xing' && id !== 'Info') continue
    const flags = (b[i + 4] << 24) | (b[i + 5] << 16) | (b[i + 6] << 8) | b[i + 7]
    if ((flags & 1) === 0) return undefined
    return ((b[i + 8] << 24) >>> 0) + ((b[i + 9] << 16) | (b[i + 10] << 8) | b[i + 11])
  }
  return undefined
}

/**
 * Reads the MPEG audio frames of a file: null when there are not at least two consecutive valid frames
 * near the start (not an MP3, or too damaged to use).
 */
export function readMp3Info(bytes: Uint8Array): Mp3Info | null {
  const found = findFirstMp3Frame(bytes)
  if (!found) return null
  const { start, header: first } = found
  let frames = 0
  let pos = start
  while (pos < bytes.length) {
    const h = readMp3FrameHeader(bytes, pos)
    if (!h || h.version !== first.version || h.layer !== first.layer || h.sampleRate !== first.sampleRate) break
    if (pos + h.length > bytes.length) break // a cut last frame
    if (!(pos === start && isInfoFrame(bytes, pos, h.length))) frames++
    pos += h.length
  }
  if (frames === 0) return null
  return {
    sampleRate: first.sampleRate,
    channels: first.channels,
    frames,
    samplesPerFrame: first.samplesPerFrame,
    durationSec: (frames * first.samplesPerFrame) / first.sampleRate,
    start,
    end: pos,
    trailingBytes: bytes.length - pos
  }
}

interface Mpg123Module {
  MPEGDecoder: new () => {
    ready: Promise<void>
    decode(data: Uint8Array): { channelData: Float32Array[]; samplesDecoded: number; sampleRate: number; errors: { message: string }[] }
    free(): void
  }
}

let mpg123: Promise<Mpg123Module> | undefined

/** Decodes the frames `info` found; the decoder always gives two channels, so a mono file keeps only the first. */
export async function decodeMp3(bytes: Uint8Array, info: Mp3Info): Promise<DecodedMp3> {
  mpg123 ??= import('mpg123-decoder') as Promise<Mpg123Module>
  const { MPEGDecoder } = await mpg123
  const decoder = new MPEGDecoder()
  await decoder.ready
  try {
    const out = decoder.decode(bytes.subarray(info.start, info.end))
    if (out.samplesDecoded === 0) {
      throw new Error(out.errors[0]?.message ?? 'no audio could be decoded')
    }
    const channels = out.channelData.slice(0, info.channels).map((c) => c.subarray(0, out.samplesDecoded))
    return { sampleRate: out.sampleRate || info.sampleRate, channels }
  } finally {
    decoder.free()
  }
}
