// Audio sent to MiMo travels as `data:<mime>;base64,<payload>` URIs: input audio for understanding,
// and the voice-clone sample in `audio.voice`. The container is recognised from its first bytes.

import { MimoValidationError } from './errors'

export type AudioContainer = 'wav' | 'mp3' | 'flac' | 'ogg' | 'm4a'

/** Base64 limits, in characters of payload. */
export const INPUT_AUDIO_MAX_BASE64 = 50 * 1024 * 1024
export const CLONE_SAMPLE_MAX_BASE64 = 10 * 1024 * 1024

export const AUDIO_MIME: Record<AudioContainer, string> = {
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  flac: 'audio/flac',
  ogg: 'audio/ogg',
  m4a: 'audio/mp4'
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  if (bytes.length < start + length) return ''
  return String.fromCharCode(...bytes.subarray(start, start + length))
}

// Bit rates (kbit/s) by [version MPEG1 ? 0 : 1][layer I, II, III][index].
const MPEG_BITRATES = [
  [
    [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
    [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
  ],
  [
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]
  ]
]
const MPEG_RATES: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] }

/** The length of the MPEG audio frame whose header starts at `at`, or null if there is no valid header there. */
function mpegFrameLength(bytes: Uint8Array, at: number): number | null {
  if (bytes.length < at + 4 || bytes[at] !== 0xff || (bytes[at + 1] & 0xe0) !== 0xe0) return null
  const version = (bytes[at + 1] >> 3) & 0x03 // 3 = MPEG1, 2 = MPEG2, 0 = MPEG2.5, 1 = reserved
  const layerBits = (bytes[at + 1] >> 1) & 0x03 // 3 = I, 2 = II, 1 = III, 0 = reserved (ADTS AAC uses 0)
  const bitrateIndex = bytes[at + 2] >> 4
  const rateIndex = (bytes[at + 2] >> 2) & 0x03
  if (version === 1 || layerBits === 0 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null
  const layer = 4 - layerBits
  const bitrate = MPEG_BITRATES[version === 3 ? 0 : 1][layer - 1][bitrateIndex] * 1000
  const rate = MPEG_RATES[version][rateIndex]
  const padding = (bytes[at + 2] >> 1) & 0x01
  if (layer === 1) return Math.floor((12 * bitrate) / rate + padding) * 4
  const perFrame = layer === 3 && version !== 3 ? 72 : 144
  return Math.floor((perFrame * bitrate) / rate) + padding
}

/** An MPEG audio frame at the start, confirmed by the next frame's header when the bytes reach that far. */
function startsWithMpegFrames(bytes: Uint8Array): boolean {
  const length = mpegFrameLength(bytes, 0)
  if (length === null) return false
  return bytes.length < length + 4 || mpegFrameLength(bytes, length) !== null
}

/** The audio container the bytes start with, or null if they are not audio MiMo accepts. */
export function sniffAudioContainer(bytes: Uint8Array): AudioContainer | null {
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WAVE') return 'wav'
  if (ascii(bytes, 0, 4) === 'fLaC') return 'flac'
  if (ascii(bytes, 0, 4) === 'OggS') return 'ogg'
  if (ascii(bytes, 4, 4) === 'ftyp') return 'm4a'
  if (ascii(bytes, 0, 3) === 'ID3' || startsWithMpegFrames(bytes)) return 'mp3'
  return null
}

export interface ParsedDataUri {
  mime: string
  /** Index in the URI where the base64 payload starts. */
  payloadStart: number
  payloadLength: number
}

const DATA_URI_HEAD = /^data:([a-z0-9.+-]+\/[a-z0-9.+-]+)((?:;[a-z0-9=.+-]+)*);base64,/i

/** Splits `data:<mime>[;params];base64,` from its payload without copying the payload. Null if not such a URI. */
export function parseDataUri(uri: string): ParsedDataUri | null {
  const match = DATA_URI_HEAD.exec(uri.slice(0, 200))
  if (!match) return null
  return { mime: match[1].toLowerCase(), payloadStart: match[0].length, payloadLength: uri.length - match[0].length }
}

/** The container of a data URI's payload, from its first decoded bytes (cheap on a 50 MB URI). */
export function sniffDataUri(uri: string, parsed: ParsedDataUri): AudioContainer | null {
  const head = uri.slice(parsed.payloadStart, parsed.payloadStart + 64)
  return sniffAudioContainer(Buffer.from(head, 'base64'))
}

/** `data:audio/wav;base64,...` (or mpeg, flac, ogg, mp4 by the bytes' container). Throws if the bytes are not audio. */
export function audioDataUri(bytes: Uint8Array, field = 'input_audio.data'): string {
  const container = sniffAudioContainer(bytes)
  if (!container)
    throw new MimoValidationError(field, 'the audio is not wav, mp3, flac, m4a or ogg')
  return `data:${AUDIO_MIME[container]};base64,${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`
}
