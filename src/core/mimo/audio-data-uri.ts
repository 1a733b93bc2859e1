// Audio sent to MiMo travels as `data:<mime>;base64,<payload>` URIs: input audio for understanding,
// and the voice-clone sample in `audio.voice`. The container is recognised from its first bytes.

import { MimoValidationError } from './errors'
import { startsWithMp3Frames } from '../audio/mp3'

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

/** The audio container the bytes start with, or null if they are not audio MiMo accepts. */
export function sniffAudioContainer(bytes: Uint8Array): AudioContainer | null {
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WAVE') return 'wav'
  if (ascii(bytes, 0, 4) === 'fLaC') return 'flac'
  if (ascii(bytes, 0, 4) === 'OggS') return 'ogg'
  if (ascii(bytes, 4, 4) === 'ftyp') return 'm4a'
  if (ascii(bytes, 0, 3) === 'ID3' || startsWithMp3Frames(bytes)) return 'mp3'
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
