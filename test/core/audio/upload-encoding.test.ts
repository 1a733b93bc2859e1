// What a spoken question becomes on the wire: MP3 built while recording (decoded back here with
// mpg123 to check it), WAV when lossless, and files as the service takes them.
import { describe, expect, it } from 'vitest'
import { decodeMp3, readMp3Info } from '../../../src/core/audio/mp3'
import { encodeMp3, StreamingMp3Encoder } from '../../../src/core/audio/mp3-encoder'
import { encodeRecording, fileForUpload, startUploadEncoding } from '../../../src/core/audio/upload-encoding'
import { decodeWav, encodeWav } from '../../../src/core/audio/wav'
import { AudioFormatError } from '../../../src/core/audio/errors'
import { voicePcm } from '../assistant/fake-recorder'

/** Correlation of two signals over their common length, after aligning `b` by up to `maxLag` samples. */
function bestCorrelation(a: Float32Array, b: Float32Array, maxLag: number): number {
  let best = -1
  for (let lag = 0; lag <= maxLag; lag += 1) {
    const n = Math.min(a.length, b.length - lag)
    let ab = 0
    let aa = 0
    let bb = 0
    for (let i = 0; i < n; i++) {
      ab += a[i] * b[i + lag]
      aa += a[i] * a[i]
      bb += b[i + lag] * b[i + lag]
    }
    best = Math.max(best, ab / Math.sqrt(aa * bb))
  }
  return best
}

async function decoded(mp3: Buffer): Promise<{ seconds: number; samples: Float32Array; sampleRate: number }> {
  const info = readMp3Info(mp3)
  expect(info).not.toBeNull()
  const out = await decodeMp3(mp3, info!)
  return { seconds: out.channels[0].length / out.sampleRate, samples: out.channels[0], sampleRate: out.sampleRate }
}

describe('MP3 encoding while recording', () => {
  it('builds, frame by frame, a 16 kHz mono MP3 about 8 times smaller than the WAV, that sounds like the recording', async () => {
    const pcm = voicePcm(3000)
    const encoder = new StreamingMp3Encoder(16000)
    for (let at = 0; at < pcm.length; at += 800) encoder.push(pcm.subarray(at, at + 800))
    const mp3 = await encoder.finish()
    const wavBytes = encodeWav(pcm, 16000).length
    expect(wavBytes / mp3.length).toBeGreaterThanOrEqual(6)
    expect(wavBytes / mp3.length).toBeLessThanOrEqual(10)

    const out = await decoded(mp3)
    expect(out.sampleRate).toBe(16000)
    expect(out.seconds).toBeGreaterThanOrEqual(3)
    expect(out.seconds).toBeLessThan(3.2)
    const original = Float32Array.from(pcm, (s) => s / 32768)
    // LAME delays the audio by its encoder delay (about 1100 samples here).
    expect(bestCorrelation(original.subarray(0, 16000), out.samples, 2400)).toBeGreaterThan(0.9)
  })

  it('leaves almost nothing for the release: the last frames only', async () => {
    const pcm = voicePcm(10_000)
    const encoder = new StreamingMp3Encoder(16000)
    for (let at = 0; at < pcm.length; at += 800) encoder.push(pcm.subarray(at, at + 800))
    // Fed while "recording": by now the encoder has caught up with every frame.
    await new Promise((r) => setTimeout(r, 50))
    const t0 = performance.now()
    const mp3 = await encoder.finish()
    const afterRelease = performance.now() - t0
    expect(mp3.length).toBeGreaterThan(30_000)
    // The figure is for bench/audio (<= 5 ms); here only that it is not a whole encode (hundreds of ms).
    expect(afterRelease).toBeLessThan(100)
  })

  it('encodes what the frames did not carry (a recorder that gives only the whole), and the same whole at once', async () => {
    const pcm = voicePcm(2000)
    const partial = startUploadEncoding('compact', 16000)
    partial.push(pcm.subarray(0, 8000)) // half of it came as frames
    const mp3 = await partial.finish({ pcm, sampleRate: 16000 })
    expect((await decoded(mp3)).seconds).toBeGreaterThanOrEqual(2)
    const whole = await encodeMp3(pcm, 16000)
    expect(whole.equals(mp3)).toBe(true)
  })

  it('sends WAV as recorded when the upload is lossless', async () => {
    const pcm = voicePcm(1000)
    const lossless = startUploadEncoding('lossless', 16000)
    lossless.push(pcm)
    const wav = await lossless.finish({ pcm, sampleRate: 16000 })
    expect(wav.equals(encodeWav(pcm, 16000))).toBe(true)
    expect((await encodeRecording('lossless', { pcm, sampleRate: 16000 })).equals(wav)).toBe(true)
  })
})

describe('a question in a file', () => {
  it('sends compressed audio as it is', async () => {
    const mp3 = await encodeMp3(voicePcm(500), 16000)
    expect((await fileForUpload(mp3, 'compact')).equals(mp3)).toBe(true)
    for (const head of ['OggS', 'fLaC']) {
      const bytes = Buffer.concat([Buffer.from(head), Buffer.alloc(64, 7)])
      expect((await fileForUpload(bytes, 'compact')).equals(bytes)).toBe(true)
      expect((await fileForUpload(bytes, 'lossless')).equals(bytes)).toBe(true)
    }
    const m4a = Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypM4A '), Buffer.alloc(64)])
    expect((await fileForUpload(m4a, 'compact')).equals(m4a)).toBe(true)
  })

  it('treats a WAV like a recording: 16 kHz mono, MP3 unless lossless', async () => {
    const stereo48k = new Int16Array(48000 * 2)
    const voice = voicePcm(3000) // 48000 samples: 1 s at 48 kHz
    for (let i = 0; i < 48000; i++) stereo48k[2 * i] = stereo48k[2 * i + 1] = voice[i]
    const wav = encodeWav(stereo48k, 48000, 2)
    const compact = await fileForUpload(wav, 'compact')
    expect((await decoded(compact)).seconds).toBeGreaterThanOrEqual(1)
    const lossless = decodeWav(await fileForUpload(wav, 'lossless'))
    expect(lossless).toMatchObject({ sampleRate: 16000, channels: 1, frames: 16000 })
  })

  it('refuses what is not audio', async () => {
    await expect(fileForUpload(Buffer.from('just text, not a recording'), 'compact')).rejects.toBeInstanceOf(AudioFormatError)
  })
})
