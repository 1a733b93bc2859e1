// Real audio files for the voice tests, made with espeak-ng (speech) and sox (conversions, noise, mp3).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const SPEECH_TEXT =
  'Hello, my name is Alex. I am recording this sample so the assistant can learn how my voice sounds. ' +
  'The quick brown fox jumps over the lazy dog, and then it runs away.'

export interface SampleFiles {
  dir: string
  /** Path of a file made on first use (and kept for the other tests of the file). */
  path(name: SampleName): string
  bytes(name: SampleName): Buffer
  cleanup(): void
}

export type SampleName =
  | 'speech' // espeak-ng: about 10 s, 22050 Hz mono 16-bit, with a little silence at both ends
  | 'padded' // speech with 1.5 s of silence before and 2 s after
  | 'short' // about 1 s of speech
  | 'silence' // 6 s of digital silence
  | 'clipped' // speech amplified by 20 dB: clipped
  | 'noisy' // speech mixed with white noise at about -30 dBFS
  | 'stereo48k' // speech at 48 kHz, two channels
  | 'eight-bit' // speech as unsigned 8-bit
  | 'rate8k' // speech at 8 kHz
  | 'long' // 45 s of speech
  | 'mp3' // speech as MP3
  | 'stereo-mp3' // speech as stereo 44.1 kHz MP3

function run(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] })
}

export function makeSampleFiles(): SampleFiles {
  const dir = mkdtempSync(join(tmpdir(), 'mimo-voices-'))
  const made = new Set<SampleName>()
  const p = (name: string, ext = 'wav'): string => join(dir, `${name}.${ext}`)

  const make = (name: SampleName): string => {
    const speech = (): string => ensure('speech')
    switch (name) {
      case 'speech':
        run('espeak-ng', ['-w', p('speech'), SPEECH_TEXT])
        return p('speech')
      case 'padded':
        run('sox', [speech(), p('padded'), 'pad', '1.5', '2'])
        return p('padded')
      case 'short':
        run('espeak-ng', ['-w', p('short'), 'Hi there.'])
        return p('short')
      case 'silence':
        run('sox', ['-n', '-r', '24000', '-c', '1', '-b', '16', p('silence'), 'trim', '0', '6'])
        return p('silence')
      case 'clipped':
        run('sox', ['-V0', speech(), p('clipped'), 'gain', '20'])
        return p('clipped')
      case 'noisy':
        run('sox', ['-n', '-r', '22050', '-c', '1', '-b', '16', p('noise'), 'synth', '10.2', 'whitenoise', 'vol', '0.055'])
        run('sox', ['-m', speech(), p('noise'), p('noisy')])
        return p('noisy')
      case 'stereo48k':
        run('sox', [speech(), '-r', '48000', '-c', '2', p('stereo48k')])
        return p('stereo48k')
      case 'eight-bit':
        run('sox', [speech(), '-b', '8', '-e', 'unsigned-integer', p('eight-bit')])
        return p('eight-bit')
      case 'rate8k':
        run('sox', [speech(), '-r', '8000', p('rate8k')])
        return p('rate8k')
      case 'long':
        run('sox', [speech(), speech(), speech(), speech(), speech(), p('long')])
        return p('long')
      case 'mp3':
        run('sox', [speech(), p('speech', 'mp3')])
        return p('speech', 'mp3')
      case 'stereo-mp3':
        run('sox', [speech(), '-r', '44100', '-c', '2', p('stereo', 'mp3')])
        return p('stereo', 'mp3')
    }
  }
  const paths = new Map<SampleName, string>()
  const ensure = (name: SampleName): string => {
    if (!made.has(name)) {
      paths.set(name, make(name))
      made.add(name)
    }
    return paths.get(name) as string
  }
  return {
    dir,
    path: ensure,
    bytes: (name) => readFileSync(ensure(name)),
    cleanup: () => rmSync(dir, { recursive: true, force: true })
  }
}

/** Writes bytes to a file in the samples folder and returns its path. */
export function writeSample(files: SampleFiles, name: string, bytes: Uint8Array | string): string {
  const path = join(files.dir, name)
  writeFileSync(path, bytes)
  return path
}
