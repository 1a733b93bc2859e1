/**
 * MP3 encoding of 16 kHz mono speech, fed frame by frame while the microphone records, so the file
 * is ready when the key is released. LAME compiled to WebAssembly (the `wasm-media-encoders`
 * package): about ten times faster than LAME ported to JavaScript; an encoder is kept for the next
 * recording once a file is done.
 *
 * 32 kbit/s CBR: 4 kB per second of speech, 8 times smaller than 16 kHz PCM16 WAV, and speech
 * keeps what recognition needs (16 kHz input is MPEG-2 Layer III, up to 8 kHz of audio).
 */
import { createMp3Encoder, type WasmMediaEncoder } from 'wasm-media-encoders'

export const COMPACT_BITRATE_KBPS = 32

/** LAME instances not in use: configure() starts a new file, so one serves recording after recording. */
const idle: Array<WasmMediaEncoder<'audio/mpeg'>> = []

function takeLame(): Promise<WasmMediaEncoder<'audio/mpeg'>> {
  const lame = idle.pop()
  return lame ? Promise.resolve(lame) : createMp3Encoder()
}

/**
 * An MP3 file built as PCM arrives: push() encodes at once (a 50 ms frame takes well under a
 * millisecond), finish() flushes LAME's last frames and returns the whole file.
 */
export class StreamingMp3Encoder {
  private readonly parts: Uint8Array[] = []
  private lame: WasmMediaEncoder<'audio/mpeg'> | undefined
  private readonly waiting: Int16Array[] = []
  private readonly ready: Promise<void>
  private failure: unknown
  private finished = false
  /** Samples pushed so far. */
  samples = 0

  constructor(private readonly sampleRate: number) {
    this.ready = takeLame().then(
      (lame) => {
        lame.configure({ sampleRate, channels: 1, bitrate: COMPACT_BITRATE_KBPS })
        this.lame = lame
        for (const pcm of this.waiting.splice(0)) this.encode(pcm)
      },
      (err: unknown) => {
        this.failure = err
      }
    )
  }

  push(pcm: Int16Array): void {
    if (this.finished || pcm.length === 0) return
    this.samples += pcm.length
    if (this.lame) this.encode(pcm)
    else this.waiting.push(pcm.slice())
  }

  /** The whole file. Rejects when the encoder could not be loaded. */
  async finish(): Promise<Buffer> {
    this.finished = true
    await this.ready
    const lame = this.lame
    if (!lame) throw this.failure instanceof Error ? this.failure : new Error('The MP3 encoder could not be loaded.')
    this.lame = undefined
    try {
      this.parts.push(lame.finalize().slice())
    } finally {
      idle.push(lame)
    }
    return Buffer.concat(this.parts)
  }

  /** Drops the file (a recording cancelled): the encoder goes back to the pool. */
  cancel(): void {
    this.finished = true
    void this.ready.then(() => {
      if (this.lame) idle.push(this.lame)
      this.lame = undefined
    })
  }

  private encode(pcm: Int16Array): void {
    const floats = new Float32Array(pcm.length)
    for (let i = 0; i < pcm.length; i++) floats[i] = pcm[i] / 32768
    // The output view points into the encoder's memory: copy it before the next call.
    const out = this.lame!.encode([floats])
    if (out.length) this.parts.push(out.slice())
  }
}

const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/**
 * A whole recording as MP3 (a file, a retry of a recording already made, audio kept in the history).
 * A second of audio at a time, yielding between them: a minute-long answer does not hold the main
 * process's event loop.
 */
export async function encodeMp3(pcm: Int16Array, sampleRate: number): Promise<Buffer> {
  const encoder = new StreamingMp3Encoder(sampleRate)
  // In 50 ms pieces, as the microphone would give them: LAME's buffers stay small.
  const step = Math.max(1, Math.round(sampleRate / 20))
  for (let at = 0, pieces = 0; at < pcm.length; at += step, pieces++) {
    if (pieces > 0 && pieces % 20 === 0) await nextTick()
    encoder.push(pcm.subarray(at, at + step))
  }
  return encoder.finish()
}
