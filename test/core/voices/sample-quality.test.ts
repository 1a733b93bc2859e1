import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeWav } from '../../../src/core/audio/wav'
import { audioDataUri } from '../../../src/core/mimo/builders'
import { checkSample, SAMPLE_LIMITS } from '../../../src/core/voices/sample-quality'
import { makeSampleFiles, type SampleFiles } from './sample-files'

let files: SampleFiles
beforeAll(() => {
  files = makeSampleFiles()
})
afterAll(() => files.cleanup())

/** The saved sample must be what the service is sent: mono PCM16 WAV at a rate of 16..48 kHz. */
function expectSavedSample(wav: Buffer | null, rate: number, durationSec: number): void {
  expect(wav).not.toBeNull()
  const decoded = decodeWav(wav as Buffer)
  expect(decoded.channels).toBe(1)
  expect(decoded.bitsPerSample).toBe(16)
  expect(decoded.format).toBe('pcm')
  expect(decoded.sampleRate).toBe(rate)
  expect(decoded.frames / decoded.sampleRate).toBeCloseTo(durationSec, 2)
}

describe('checkSample on clean speech', () => {
  it('accepts it without warnings and reports every figure', async () => {
    const { quality, wav } = await checkSample(files.bytes('speech'), { fileName: 'speech.wav' })
    expect(quality.refusals).toEqual([])
    expect(quality.warnings).toEqual([])
    expect(quality.inputFormat).toBe('wav')
    expect(quality.channelsIn).toBe(1)
    expect(quality.inputSampleRate).toBe(22050)
    expect(quality.sampleRate).toBe(22050) // its own rate, inside 16..48 kHz: not resampled
    expect(quality.resampled).toBe(false)
    expect(quality.durationSec).toBeGreaterThan(8)
    expect(quality.durationSec).toBeLessThanOrEqual(quality.inputDurationSec as number)
    expect(quality.rmsDbfs).toBeGreaterThan(SAMPLE_LIMITS.loudnessMinDbfs)
    expect(quality.rmsDbfs).toBeLessThan(SAMPLE_LIMITS.loudnessMaxDbfs)
    expect(quality.noiseDbfs).toBeLessThan(SAMPLE_LIMITS.noiseWarnDbfs)
    expect(quality.clippingShare).toBeLessThan(SAMPLE_LIMITS.clipWarnShare)
    expect(quality.unavailable).toBeUndefined()
    expectSavedSample(wav, 22050, quality.durationSec)
    // The size figure is the exact length of the data URI the service will get.
    expect(quality.base64Bytes).toBe(audioDataUri(wav as Buffer).length)
  })

  it('trims leading and trailing silence and reports how much', async () => {
    const plain = await checkSample(files.bytes('speech'))
    const { quality, wav } = await checkSample(files.bytes('padded'))
    expect(quality.refusals).toEqual([])
    expect(quality.trimmedLeadingSec).toBeGreaterThan(1.3)
    expect(quality.trimmedLeadingSec).toBeLessThan(1.8)
    expect(quality.trimmedTrailingSec).toBeGreaterThan(1.7)
    expect(quality.trimmedTrailingSec).toBeLessThan(2.4)
    expect(quality.inputDurationSec as number).toBeGreaterThan(plain.quality.inputDurationSec as number + 3.4)
    // The same speech: at most the two 150 ms margins the plain file had no room for at its edges.
    expect(Math.abs(quality.durationSec - plain.quality.durationSec)).toBeLessThan(0.35)
    expectSavedSample(wav, 22050, quality.durationSec)
  })
})

describe('checkSample refuses or warns on poor samples', () => {
  it('refuses silence: no speech', async () => {
    const { quality, wav } = await checkSample(files.bytes('silence'), { fileName: 'silence.wav' })
    expect(wav).toBeNull()
    expect(quality.refusals.join(' ')).toMatch(/No speech was heard/)
    expect(quality.noiseDbfs).toBeLessThanOrEqual(-90)
  })

  it('refuses speech shorter than 3 s', async () => {
    const { quality, wav } = await checkSample(files.bytes('short'))
    expect(wav).toBeNull()
    expect(quality.durationSec).toBeLessThan(3)
    expect(quality.durationSec).toBeGreaterThan(0.3)
    expect(quality.refusals.join(' ')).toMatch(/at least 3 s/)
  })

  it('reports and warns about clipping', async () => {
    const { quality, wav } = await checkSample(files.bytes('clipped'))
    expect(wav).not.toBeNull()
    expect(quality.clippingShare).toBeGreaterThan(SAMPLE_LIMITS.clipWarnShare)
    expect(quality.warnings.join(' ')).toMatch(/clipped/)
  })

  it('estimates the noise and warns when it is high', async () => {
    const { quality } = await checkSample(files.bytes('noisy'))
    expect(quality.noiseDbfs).toBeGreaterThan(SAMPLE_LIMITS.noiseWarnDbfs)
    expect(quality.noiseDbfs).toBeLessThan(-20)
    expect(quality.snrDb as number).toBeLessThan(20)
    expect(quality.warnings.join(' ')).toMatch(/background noise/)
  })

  it('converts stereo 48 kHz to mono and reports the input', async () => {
    const { quality, wav } = await checkSample(files.bytes('stereo48k'))
    expect(quality.refusals).toEqual([])
    expect(quality.channelsIn).toBe(2)
    expect(quality.inputSampleRate).toBe(48000)
    expect(quality.sampleRate).toBe(48000)
    expectSavedSample(wav, 48000, quality.durationSec)
  })

  it('raises 8 kHz to 16 kHz with a warning', async () => {
    const { quality, wav } = await checkSample(files.bytes('rate8k'))
    expect(quality.inputSampleRate).toBe(8000)
    expect(quality.sampleRate).toBe(16000)
    expect(quality.resampled).toBe(true)
    expect(quality.warnings.join(' ')).toMatch(/8000 Hz/)
    expectSavedSample(wav, 16000, quality.durationSec)
  })

  it('converts 8-bit WAV to 16-bit', async () => {
    const { quality, wav } = await checkSample(files.bytes('eight-bit'))
    expect(quality.inputBitsPerSample).toBe(8)
    expect(quality.refusals).toEqual([])
    expect(quality.warnings.join(' ')).toMatch(/8-bit/)
    expectSavedSample(wav, 22050, quality.durationSec)
  })

  it('keeps the first 30 s of longer speech, with a warning', async () => {
    const { quality, wav } = await checkSample(files.bytes('long'))
    expect(quality.speechSec as number).toBeGreaterThan(45)
    expect(quality.durationSec).toBeLessThanOrEqual(SAMPLE_LIMITS.maxSec)
    expect(quality.durationSec).toBeGreaterThan(SAMPLE_LIMITS.maxSec - 1.5)
    expect(quality.warnings.join(' ')).toMatch(/only the first/)
    expect(quality.base64Bytes).toBeLessThan(SAMPLE_LIMITS.maxDataUriBytes)
    expectSavedSample(wav, 22050, quality.durationSec)
  })
})

describe('checkSample on files that are not (whole) WAV or MP3', () => {
  it('refuses a text file named .wav, saying what it is', async () => {
    const text = Buffer.from('This is not audio at all, just a note saved with the wrong name.\n'.repeat(20))
    const { quality, wav } = await checkSample(text, { fileName: 'notes.wav' })
    expect(wav).toBeNull()
    expect(quality.refusals).toEqual([expect.stringMatching(/'notes\.wav' is not a WAV or MP3 file \(it holds text\)/)])
    expect(quality.unavailable).toContain('durationSec')
  })

  it('refuses an empty file', async () => {
    const { quality } = await checkSample(new Uint8Array(0), { fileName: 'empty.wav' })
    expect(quality.refusals).toEqual(["'empty.wav' is empty."])
  })

  it('refuses a WAV header with no audio after it', async () => {
    const { quality, wav } = await checkSample(files.bytes('speech').subarray(0, 44), { fileName: 'header.wav' })
    expect(wav).toBeNull()
    expect(quality.refusals.join(' ')).toMatch(/holds no audio/)
  })

  it('uses what is there in a cut WAV', async () => {
    const whole = await checkSample(files.bytes('speech'))
    const bytes = files.bytes('speech')
    const { quality, wav } = await checkSample(bytes.subarray(0, Math.floor(bytes.length * 0.6)))
    expect(quality.refusals).toEqual([])
    expect(quality.inputDurationSec as number).toBeCloseTo((whole.quality.inputDurationSec as number) * 0.6, 1)
    expectSavedSample(wav, 22050, quality.durationSec)
  })

  it('refuses a WAV cut so short that less than 3 s of speech is left', async () => {
    const bytes = files.bytes('speech')
    const { quality, wav } = await checkSample(bytes.subarray(0, 44 + 22050 * 2 * 2))
    expect(wav).toBeNull()
    expect(quality.refusals.join(' ')).toMatch(/at least 3 s/)
  })

  it('decodes an MP3 and saves it as WAV', async () => {
    const wavCheck = await checkSample(files.bytes('speech'))
    const { quality, wav } = await checkSample(files.bytes('mp3'), { fileName: 'speech.mp3' })
    expect(quality.refusals).toEqual([])
    expect(quality.inputFormat).toBe('mp3')
    expect(quality.channelsIn).toBe(1)
    expect(quality.inputSampleRate).toBe(22050)
    expect(Math.abs(quality.durationSec - wavCheck.quality.durationSec)).toBeLessThan(0.15)
    expect(Math.abs(quality.rmsDbfs - wavCheck.quality.rmsDbfs)).toBeLessThan(1.5)
    expectSavedSample(wav, 22050, quality.durationSec)
  })

  it('reads the channels of a stereo MP3', async () => {
    const { quality, wav } = await checkSample(files.bytes('stereo-mp3'))
    expect(quality.channelsIn).toBe(2)
    expect(quality.inputSampleRate).toBe(44100)
    expectSavedSample(wav, 44100, quality.durationSec)
  })

  it('refuses an MP3 with no frame left in it', async () => {
    const bytes = Buffer.from(files.bytes('mp3'))
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0xff) bytes[i] = 0
    const { quality, wav } = await checkSample(bytes, { fileName: 'broken.mp3' })
    expect(wav).toBeNull()
    expect(quality.refusals).toEqual([expect.stringMatching(/'broken\.mp3' (is not a WAV or MP3 file|looks like an MP3 file but holds no complete audio frame)/)])
  })

  it('refuses an MP3 cut to less than 3 s', async () => {
    const bytes = files.bytes('mp3')
    const { quality, wav } = await checkSample(bytes.subarray(0, Math.floor(bytes.length / 5)), { fileName: 'cut.mp3' })
    expect(wav).toBeNull()
    expect(quality.inputDurationSec as number).toBeLessThan(3)
    expect(quality.refusals.join(' ')).toMatch(/at least 3 s/)
  })
})
