/** Audio files that stress an import: a hostile header, and the largest file the import takes. */
import { encodeWav } from '../../../src/core/audio/wav'
import { MAX_SAMPLE_IMPORT_BYTES } from '../../../src/shared/voices'

/** An unsigned 8-bit mono WAV whose header says 1000 samples a second: 1 MB of it is 17 minutes at a rate no recorder makes. */
export function hostileWav(bytes = 1024 * 1024): Buffer {
  const b = Buffer.alloc(44 + bytes)
  b.write('RIFF', 0, 'ascii')
  b.writeUInt32LE(36 + bytes, 4)
  b.write('WAVEfmt ', 8, 'ascii')
  b.writeUInt32LE(16, 16)
  b.writeUInt16LE(1, 20) // PCM
  b.writeUInt16LE(1, 22) // mono
  b.writeUInt32LE(1000, 24) // 1000 Hz
  b.writeUInt32LE(1000, 28)
  b.writeUInt16LE(1, 32)
  b.writeUInt16LE(8, 34)
  b.write('data', 36, 'ascii')
  b.writeUInt32LE(bytes, 40)
  for (let i = 0; i < bytes; i++) b[44 + i] = 128 + Math.round(60 * Math.sin(i / 3))
  return b
}

/** A 48 kHz stereo WAV just under the import's size limit (about 5.5 minutes of a voice-like tone). */
export function sixtyMegabyteWav(): Buffer {
  const rate = 48000
  const frames = Math.floor((MAX_SAMPLE_IMPORT_BYTES - 1024) / 4)
  const pcm = new Int16Array(frames * 2)
  for (let f = 0; f < frames; f++) {
    const t = f / rate
    const v = Math.round(9000 * Math.sin(Math.PI * ((t % 0.35) / 0.35)) ** 2 * Math.sin(2 * Math.PI * 190 * t))
    pcm[2 * f] = v
    pcm[2 * f + 1] = v
  }
  return encodeWav(pcm, rate, 2)
}
