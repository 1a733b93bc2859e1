/**
 * Kept audio: encoded as MP3 by the upload's encoder (`../audio/mp3-encoder.ts`, LAME in WebAssembly,
 * 32 kbit/s mono, about a tenth of the PCM: a 10 s answer is some 40 KB), decoded for replay with
 * mpg123 and played through the same 24 kHz player as speech.
 */
import { decodeMp3, readMp3Info } from '../audio/mp3'
import { floatToPcm16, resample } from '../audio/wav'

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
