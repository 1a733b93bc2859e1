// The service decodes the audio it is sent: an MP3 that does not decode is refused like any other
// non-audio, and what it heard is measured (seconds), so a test can check what the client uploaded.
// mpg123 compiled to WebAssembly (mpg123-decoder) does the decoding, independently of the app's encoder.
import { MPEGDecoder } from 'mpg123-decoder'
import { decodeWav, toMono } from '../../src/core/audio/wav'
import { containerOf, wavSeconds, type Container } from './service-rules'

export interface HeardAudio {
  container: Container
  /** Bytes of the file (before base64). */
  bytes: number
  /** Duration as decoded (wav: from its header; flac, m4a, ogg: estimated from the size). */
  seconds: number
  /** Sample rate of the decoded audio, when decoded. */
  sampleRate?: number
}

/** Decodes each uploaded file; a file that does not decode is a problem, as on the service. */
export async function hearUploads(uploads: Array<{ container: Container; bytes: Buffer }>): Promise<HeardAudio[] | { problem: string }> {
  const heard: HeardAudio[] = []
  for (const { container, bytes } of uploads) {
    if (container === 'wav') heard.push({ container, bytes: bytes.length, seconds: wavSeconds(bytes) })
    else if (container === 'mp3') {
      const decoded = await decodeMp3(bytes)
      if ('problem' in decoded) return decoded
      heard.push({ container, bytes: bytes.length, ...decoded })
    } else heard.push({ container, bytes: bytes.length, seconds: bytes.length / 16000 })
  }
  return heard
}

/** What a spoken upload sounds like to the fake: mono samples at the file's own rate. */
export interface HeardSpeech {
  container: Container | null
  samples: Float32Array
  sampleRate: number
}

/** Decodes a WAV or MP3 upload to samples (other containers are heard as nothing). */
export async function hearSpeech(bytes: Buffer): Promise<HeardSpeech> {
  const container = containerOf(bytes)
  if (container === 'wav') {
    const wav = decodeWav(bytes)
    return { container, samples: toMono(wav), sampleRate: wav.sampleRate }
  }
  if (container === 'mp3') {
    const decoded = await decodeMp3(bytes, true)
    if ('samples' in decoded && decoded.samples) return { container, samples: decoded.samples, sampleRate: decoded.sampleRate }
  }
  return { container, samples: new Float32Array(0), sampleRate: 16000 }
}

/** One decoder, made once (compiling it takes longer than decoding a question), one file at a time. */
let shared: Promise<MPEGDecoder> | undefined
let queue: Promise<unknown> = Promise.resolve()

type Mp3Heard = { seconds: number; sampleRate: number; samples?: Float32Array } | { problem: string }

function decodeMp3(bytes: Buffer, keepSamples = false): Promise<Mp3Heard> {
  const turn = queue.then(() => decodeNow(bytes, keepSamples))
  queue = turn.catch(() => undefined)
  return turn
}

async function decodeNow(bytes: Buffer, keepSamples: boolean): Promise<Mp3Heard> {
  shared ??= (async () => {
    const d = new MPEGDecoder()
    await d.ready
    return d
  })()
  const decoder = await shared
  try {
    await decoder.reset()
    const out = decoder.decode(bytes)
    if (out.samplesDecoded === 0 || out.sampleRate === 0) return { problem: out.errors[0]?.message ?? 'the mp3 holds no audio' }
    const heard = { seconds: out.samplesDecoded / out.sampleRate, sampleRate: out.sampleRate }
    // The decoder reuses its output buffers: samples are copied out before the next file.
    return keepSamples ? { ...heard, samples: Float32Array.from(out.channelData[0]) } : heard
  } catch (err) {
    return { problem: String(err) }
  }
}
