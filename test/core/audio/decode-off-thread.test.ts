// The decode worker, for real: a worker thread loads the decoder (through tsx from source here; the
// built app and command load their bundled copy, see test/build) and answers or is stopped.
import { describe, expect, it } from 'vitest'
import { AudioFormatError } from '../../../src/core/audio/errors'
import { DecodeTimeoutError, prepareForUploadOffThread, runDecodeJob } from '../../../src/core/audio/decode-off-thread'
import { decodeWav, encodeWav } from '../../../src/core/audio/wav'
import { checkSample } from '../../../src/core/voices/sample-quality'

function tone(seconds: number, rate: number, channels = 1): Buffer {
  const n = Math.round(seconds * rate)
  const pcm = new Int16Array(n * channels)
  for (let i = 0; i < n; i++) {
    const t = i / rate
    const v = Math.round(8000 * Math.sin(Math.PI * ((t % 0.3) / 0.3)) ** 2 * Math.sin(2 * Math.PI * 200 * t))
    for (let c = 0; c < channels; c++) pcm[i * channels + c] = v
  }
  return encodeWav(pcm, rate, channels)
}

describe('decoding off the calling thread', () => {
  it('prepares a question file in the worker: 44.1 kHz stereo in, 16 kHz mono PCM16 out', async () => {
    const out = await prepareForUploadOffThread(tone(2, 44100, 2))
    expect(out.container).toBe('wav')
    expect(out.durationSec).toBeCloseTo(2, 3)
    expect(decodeWav(out.bytes)).toMatchObject({ sampleRate: 16000, channels: 1, bitsPerSample: 16, frames: 32000 })
  })

  it('refuses a bad header at once, in the calling thread, with the reason', async () => {
    const bad = tone(1, 16000)
    bad.writeUInt32LE(1000, 24)
    await expect(prepareForUploadOffThread(bad)).rejects.toThrow(/declares a sample rate of 1000 Hz/)
    await expect(prepareForUploadOffThread(Buffer.from('not audio at all, just words'))).rejects.toBeInstanceOf(AudioFormatError)
  })

  it('an error thrown in the worker comes back as the same kind of error', async () => {
    // A header the quick check lets through (placeholder sizes) but with no samples: the worker's decoder refuses it.
    const empty = encodeWav(new Int16Array(0), 16000)
    const err = await runDecodeJob({ kind: 'prepare-upload', bytes: empty }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AudioFormatError)
    expect((err as Error).message).toMatch(/holds no audio/)
  })

  it('stops a job that runs past its time limit, and the sample check says so', async () => {
    const long = tone(300, 48000, 2)
    const err = await runDecodeJob({ kind: 'check-sample', bytes: new Uint8Array(long) }, { timeLimitMs: 20 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DecodeTimeoutError)
    expect((err as DecodeTimeoutError).toUserError()).toMatchObject({ kind: 'input', message: 'Reading the file took longer than 20 ms, so it was stopped.' })
    const check = await checkSample(new Uint8Array(long), { fileName: 'long.wav', timeLimitMs: 20 })
    expect(check.wav).toBeNull()
    expect(check.quality.refusals).toEqual([expect.stringMatching(/^'long\.wav' could not be read as audio: Reading the file took longer than/)])
  })

  it('the caller keeps a pooled Buffer it passed (a view into a larger buffer is copied, not moved)', async () => {
    const file = tone(1, 16000)
    const pooled = Buffer.concat([Buffer.alloc(10), file]).subarray(10)
    await prepareForUploadOffThread(pooled)
    expect(pooled.length).toBe(file.length)
    expect(pooled.equals(file)).toBe(true)
  })
})
