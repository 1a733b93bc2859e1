import { describe, expect, it } from 'vitest'
import { AUDIO_FILE_LIMITS, readAudioHeader } from '../../../src/core/audio/audio-header'
import { AudioFormatError } from '../../../src/core/audio/errors'
import { encodeWav, prepareForUpload } from '../../../src/core/audio/wav'

/** A WAV header (and a little data) that declares what the test says. */
function wav(o: { rate?: number; channels?: number; bits?: number; tag?: number; dataBytes?: number; declared?: number; chunksBefore?: number }): Buffer {
  const { rate = 16000, channels = 1, bits = 16, tag = 1, dataBytes = 64, declared = dataBytes, chunksBefore = 0 } = o
  const fmt = Buffer.alloc(24)
  fmt.write('fmt ', 0, 'ascii')
  fmt.writeUInt32LE(16, 4)
  fmt.writeUInt16LE(tag, 8)
  fmt.writeUInt16LE(channels, 10)
  fmt.writeUInt32LE(rate, 12)
  fmt.writeUInt32LE((rate * channels * bits) / 8, 16)
  fmt.writeUInt16LE((channels * bits) / 8, 20)
  fmt.writeUInt16LE(bits, 22)
  const junk = Buffer.alloc(8 * chunksBefore)
  for (let i = 0; i < chunksBefore; i++) junk.write('junk', i * 8, 'ascii')
  const data = Buffer.alloc(8 + dataBytes)
  data.write('data', 0, 'ascii')
  data.writeUInt32LE(declared, 4)
  const head = Buffer.from('RIFF\0\0\0\0WAVE', 'ascii')
  return Buffer.concat([head, junk, fmt, data])
}

/** MPEG-1 layer III frames at 128 kbit/s, 44.1 kHz (417 bytes, 1152 samples each). */
function mp3(frames: number, xingFrames?: number): Buffer {
  const frame = Buffer.alloc(417)
  frame.set([0xff, 0xfb, 0x90, 0x64])
  const first = Buffer.from(frame)
  if (xingFrames !== undefined) {
    first.write('Xing', 36, 'ascii')
    first.writeUInt32BE(1, 40) // flags: the frame count is present
    first.writeUInt32BE(xingFrames, 44)
  }
  return Buffer.concat([first, ...Array.from({ length: frames - 1 }, () => frame)])
}

const refusal = (bytes: Uint8Array): string => {
  try {
    readAudioHeader(bytes, "'x.wav'")
  } catch (err) {
    expect(err).toBeInstanceOf(AudioFormatError)
    return (err as Error).message
  }
  throw new Error('expected a refusal')
}

describe('readAudioHeader', () => {
  it('reads what a sane WAV declares, without decoding it', () => {
    expect(readAudioHeader(encodeWav(new Int16Array(48000 * 2), 48000, 2))).toEqual({
      container: 'wav', sampleRate: 48000, channels: 2, bitsPerSample: 16, durationSec: 1
    })
    // A streaming writer's placeholder size: the bytes that are there count.
    expect(readAudioHeader(wav({ dataBytes: 32000, declared: 0xffffffff })).durationSec).toBe(1)
    expect(readAudioHeader(wav({ rate: 8000 })).sampleRate).toBe(8000)
    expect(readAudioHeader(wav({ rate: 192000, channels: 8, bits: 32, tag: 3, dataBytes: 64 })).channels).toBe(8)
  })

  it('refuses rates, channel counts and encodings no recorder makes, naming them', () => {
    expect(refusal(wav({ rate: 1000, bits: 8 }))).toMatch(/^'x\.wav' declares a sample rate of 1000 Hz; recordings are 8 to 192 kHz/)
    expect(refusal(wav({ rate: 384000 }))).toMatch(/384000 Hz/)
    expect(refusal(wav({ channels: 0 }))).toMatch(/declares 0 channels/)
    expect(refusal(wav({ channels: 9 }))).toMatch(/declares 9 channels; 1 to 8 can be read/)
    expect(refusal(wav({ bits: 12 }))).toMatch(/format 1, 12-bit/)
    expect(refusal(wav({ tag: 3, bits: 16 }))).toMatch(/format 3, 16-bit/)
    expect(refusal(wav({ tag: 0x55 }))).toMatch(/format 85/)
  })

  it('refuses a length beyond ten minutes from what the header declares, before reading the audio', () => {
    // 11 minutes of 8 kHz 8-bit mono, declared; only 64 bytes are there, so the data size counts as cut...
    expect(readAudioHeader(wav({ rate: 8000, bits: 8, dataBytes: 64, declared: 8000 * 660 })).durationSec).toBeLessThan(1)
    // ...while 11 minutes that are really there are refused by their length.
    const long = wav({ rate: 8000, bits: 8, dataBytes: 8000 * 660 })
    expect(refusal(long)).toMatch(/is 11 minutes long; at most 10 minutes can be read/)
    expect(AUDIO_FILE_LIMITS.maxSeconds).toBe(600)
  })

  it('refuses a file with thousands of chunks before its audio', () => {
    expect(refusal(wav({ chunksBefore: 2000 }))).toMatch(/too many parts/)
  })

  it('estimates an MP3 from its first frame, and trusts a Xing frame count', () => {
    const h = readAudioHeader(mp3(40))
    expect(h).toMatchObject({ container: 'mp3', sampleRate: 44100, channels: 2 })
    expect(h.durationSec).toBeCloseTo((40 * 1152) / 44100, 3)
    // A VBR file whose Xing header says it has a million frames: 7 hours.
    expect(refusal(mp3(4, 1_000_000))).toMatch(/is \d+ minutes long/)
  })

  it('refuses what is not audio at all', () => {
    expect(refusal(Buffer.from('Dear diary, today I recorded nothing.'))).toMatch(/is not a WAV or MP3 recording/)
  })

  it('prepareForUpload judges the header before decoding anything', () => {
    const started = performance.now()
    expect(() => prepareForUpload(wav({ rate: 1000, bits: 8, dataBytes: 1024 * 1024 }))).toThrow(/1000 Hz/)
    expect(performance.now() - started).toBeLessThan(1000)
  })
})
