// Audio files for the tests, made with the same tools the app meets in the field: a RIFF writer,
// sox for mp3/flac/ogg, and espeak-ng for speech.

import { execFileSync } from 'node:child_process'
import { wavFile } from '../../fake-mimo/speech'

/** A 16 kHz mono PCM16 wav of a gliding tone. */
export function toneWav(seconds = 1, sampleRate = 16000): Buffer {
  const frames = Math.round(seconds * sampleRate)
  const pcm = Buffer.alloc(frames * 2)
  for (let i = 0; i < frames; i++) pcm.writeInt16LE(Math.round(Math.sin((2 * Math.PI * (200 + i / 200) * i) / sampleRate) * 8000), i * 2)
  return wavFile(pcm, sampleRate)
}

/** The wav converted by sox to another container. */
export function soxConvert(wav: Buffer, type: 'mp3' | 'flac' | 'ogg'): Buffer {
  return execFileSync('sox', ['-q', '-t', 'wav', '-', '-t', type, '-'], { input: wav, maxBuffer: 64 * 1024 * 1024 })
}

/** The head of an MPEG-4 audio file (ftyp box, brand M4A), followed by filler: enough to be recognised. */
export function m4aHead(): Buffer {
  const ftyp = Buffer.alloc(32)
  ftyp.writeUInt32BE(32, 0)
  ftyp.write('ftypM4A ', 4, 'latin1')
  ftyp.write('M4A mp42isom', 16, 'latin1')
  return Buffer.concat([ftyp, Buffer.alloc(256)])
}

/** Spoken words as a wav (espeak-ng), or null when espeak-ng is not installed. */
export function speechWav(text: string): Buffer | null {
  try {
    return execFileSync('espeak-ng', ['--stdout', text], { maxBuffer: 64 * 1024 * 1024 })
  } catch {
    return null
  }
}
