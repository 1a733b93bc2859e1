/**
 * Kept audio as MP3: 32 kbit/s mono, about a tenth of the PCM (a 10 s answer is some 40 KB). The
 * encoder is plain JavaScript (lamejs), so it runs a slice at a time and yields between slices: the
 * main process keeps answering while a long answer is encoded. Played back through the same
 * 24 kHz player as speech.
 */
import { decodeMp3, readMp3Info } from '../audio/mp3'
import { floatToPcm16, resample } from '../audio/wav'

export const KEPT_AUDIO_KBPS = 32
/** Samples per slice: 1152-sample MP3 frames, a fifth of a second at 24 kHz. */
const SLICE = 1152 * 4

const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

// Loaded on first use (only with "keep audio" on), and by import(): the package's CommonJS entry is a
// browser script that exports nothing, so the app's CommonJS bundle must reach its ES module.
let lame: Promise<typeof import('@breezystack/lamejs')> | undefined

/** MPEG-2 layer III takes 16, 22.05 and 24 kHz (and MPEG-1 32 to 48 kHz): the recorder's and the speech's rates. */
export async function encodeMp3(pcm: Int16Array, sampleRate: number): Promise<Uint8Array> {
  lame ??= import('@breezystack/lamejs')
  const { Mp3Encoder } = await lame
  const encoder = new Mp3Encoder(1, sampleRate, KEPT_AUDIO_KBPS)
  const parts: Uint8Array[] = []
  for (let i = 0; i < pcm.length; i += SLICE) {
    parts.push(encoder.encodeBuffer(pcm.subarray(i, i + SLICE)))
    await nextTick()
  }
  parts.push(encoder.flush())
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** An MP3 as mono PCM16 at `rate` (the player's 24 kHz). */
export async function decodeMp3ToPcm(bytes: Uint8Array, rate: number): Promise<Int16Array> {
  const info = readMp3Info(bytes)
  if (!info) throw new Error('the kept audio file is not a readable MP3')
  const decoded = await decodeMp3(bytes, info)
  return floatToPcm16(resample(decoded.channels[0], decoded.sampleRate, rate))
}

/** PCM16LE bytes (as the speech player gets them) as samples. */
export function pcmOfBytes(chunks: Buffer[]): Int16Array {
  const all = Buffer.concat(chunks)
  const out = new Int16Array(Math.floor(all.length / 2))
  for (let i = 0; i < out.length; i++) out[i] = all.readInt16LE(i * 2)
  return out
}
