/**
 * What a spoken question becomes on the wire. `compact` (the default): MP3, encoded while the
 * microphone records, so the file is ready at release; a quarter of what the same question costs
 * as WAV once base64 is counted, which is what a slow uplink pays for before the answer can start.
 * `lossless`: 16 kHz PCM16 WAV, as recorded.
 *
 * A file (`--audio`) that is already compressed (MP3, Ogg, FLAC, M4A) is sent as it is; a WAV is
 * treated like a recording. Voice-clone samples never pass through here.
 */
import type { UploadFormat } from '../../shared/settings'
import { sniffAudioContainer } from '../mimo/audio-data-uri'
import { AudioFormatError } from './errors'
import { encodeMp3, StreamingMp3Encoder } from './mp3-encoder'
import { encodeWav, UPLOAD_SAMPLE_RATE, wavAsUploadPcm } from './wav'

/** The recording an encoder finishes with (the whole of what it was fed, and maybe more). */
export interface RecordedPcm {
  pcm: Int16Array
  sampleRate: number
}

/** A recording's upload, built while it is captured. */
export interface UploadEncoder {
  /** Audio as it is captured (the recorder's frames, in order). */
  push(pcm: Int16Array): void
  /** The file to send. Audio the frames did not carry (a recorder that only gives the whole) is encoded now. */
  finish(recording: RecordedPcm): Promise<Buffer>
  cancel(): void
}

export function startUploadEncoding(format: UploadFormat, sampleRate: number): UploadEncoder {
  if (format === 'lossless') {
    return { push() {}, finish: async (r) => encodeWav(r.pcm, r.sampleRate), cancel() {} }
  }
  const mp3 = new StreamingMp3Encoder(sampleRate)
  return {
    push: (pcm) => mp3.push(pcm),
    async finish(r) {
      try {
        if (r.sampleRate !== sampleRate) return await encodeMp3(r.pcm, r.sampleRate)
        if (mp3.samples < r.pcm.length) mp3.push(r.pcm.subarray(mp3.samples))
        return await mp3.finish()
      } catch {
        // No encoder (a WebAssembly failure): the question still goes, as WAV.
        return encodeWav(r.pcm, r.sampleRate)
      }
    },
    cancel: () => mp3.cancel()
  }
}

/** A whole recording for upload (a question asked again). */
export function encodeRecording(format: UploadFormat, r: RecordedPcm): Promise<Buffer> {
  return format === 'lossless' ? Promise.resolve(encodeWav(r.pcm, r.sampleRate)) : encodeMp3(r.pcm, r.sampleRate)
}

/** A question given as a file: compressed audio as it is, WAV like a recording. */
export async function fileForUpload(bytes: Uint8Array, format: UploadFormat): Promise<Buffer> {
  const container = sniffAudioContainer(bytes)
  if (!container)
    throw new AudioFormatError('This file is not a recording MiMo can hear.', 'Save it as WAV, MP3, Ogg, FLAC or M4A first.')
  if (container !== 'wav') return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const { pcm } = wavAsUploadPcm(bytes)
  return encodeRecording(format, { pcm, sampleRate: UPLOAD_SAMPLE_RATE })
}
