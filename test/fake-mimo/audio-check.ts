// The service decodes the audio it is sent: an MP3 that does not decode is refused like any other
// non-audio, and what it heard is measured (seconds), so a test can check what the client uploaded.
// mpg123 compiled to WebAssembly (mpg123-decoder) does the decoding, independently of the app's encoder.
import { MPEGDecoder } from 'mpg123-decoder'
import { wavSeconds, type Container } from './service-rules'

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

/** One decoder, made once (compiling it takes longer than decoding a question), one file at a time. */
let shared: Promise<MPEGDecoder> | undefined
let queue: Promise<unknown> = Promise.resolve()

function decodeMp3(bytes: Buffer): Promise<{ seconds: number; sampleRate: number } | { problem: string }> {
  const turn = queue.then(() => decodeNow(bytes))
  queue = turn.catch(() => undefined)
  return turn
}

async function decodeNow(bytes: Buffer): Promise<{ seconds: number; sampleRate: number } | { problem: string }> {
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
    return { seconds: out.samplesDecoded / out.sampleRate, sampleRate: out.sampleRate }
  } catch (err) {
    return { problem: String(err) }
  }
}
