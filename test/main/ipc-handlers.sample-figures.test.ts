// The window marks each quality figure with the limits in src/shared/voices.ts: they must be the sample
// checks' own limits, and the marks must agree with what the checks say about real files (espeak-ng + sox).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invokeSchemas } from '../../src/shared/ipc'
import {
  assessSampleFigures,
  MAX_VOICE_DESCRIPTION_LENGTH,
  MAX_VOICE_NAME_LENGTH,
  SAMPLE_FIGURE_LIMITS,
  VOICE_ID_PATTERN,
  type FigureMark,
  type SampleFigureId
} from '../../src/shared/voices'
import { checkSample, SAMPLE_LIMITS } from '../../src/core/voices/sample-quality'
import { MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH, voiceIdSchema } from '../../src/core/voices/voice-record'
import { makeSampleFiles, type SampleFiles, type SampleName } from '../core/voices/sample-files'

let files: SampleFiles
beforeAll(() => {
  files = makeSampleFiles()
})
afterAll(() => files.cleanup())

async function marks(bytes: Uint8Array, fileName?: string): Promise<Record<SampleFigureId, FigureMark>> {
  const { quality } = await checkSample(bytes, { fileName })
  return Object.fromEntries(assessSampleFigures(quality).map((f) => [f.id, f.mark])) as Record<SampleFigureId, FigureMark>
}
const sample = (name: SampleName) => marks(files.bytes(name), `${name}.wav`)
const allOk: Record<SampleFigureId, FigureMark> = { length: 'ok', clipping: 'ok', loudness: 'ok', silence: 'ok', noise: 'ok', channels: 'ok', size: 'ok' }

describe('the window\'s figure marks', () => {
  it('use the sample checks\' own limits, and the store\'s name, description and id rules', () => {
    expect(SAMPLE_FIGURE_LIMITS).toEqual({
      minSec: SAMPLE_LIMITS.minSec,
      targetMinSec: SAMPLE_LIMITS.recommendedMinSec,
      targetMaxSec: SAMPLE_LIMITS.maxSec,
      clipWarnShare: SAMPLE_LIMITS.clipWarnShare,
      loudnessMinDbfs: SAMPLE_LIMITS.loudnessMinDbfs,
      loudnessMaxDbfs: SAMPLE_LIMITS.loudnessMaxDbfs,
      noiseWarnDbfs: SAMPLE_LIMITS.noiseWarnDbfs,
      maxDataUriBytes: SAMPLE_LIMITS.maxDataUriBytes,
      minRate: SAMPLE_LIMITS.minRate
    })
    expect(MAX_VOICE_NAME_LENGTH).toBe(MAX_NAME_LENGTH)
    expect(MAX_VOICE_DESCRIPTION_LENGTH).toBe(MAX_DESCRIPTION_LENGTH)
    for (const id of ['3f2a9c1e-7b1d-4c55-9d0e-2b8f6a1c4d7e', 'a', 'x'.repeat(64), 'x'.repeat(65), '../x', 'a b', '']) {
      expect(VOICE_ID_PATTERN.test(id), id).toBe(voiceIdSchema.safeParse(id).success)
      expect(invokeSchemas['voices:delete'].safeParse({ id }).success, id).toBe(voiceIdSchema.safeParse(id).success)
    }
  })

  it('clean speech: every figure fine', async () => {
    expect(await sample('speech')).toEqual(allOk)
    expect(await sample('padded')).toEqual(allOk)
    expect(await marks(files.bytes('mp3'), 'speech.mp3')).toEqual(allOk)
  })

  it('mark what the checks warn about', async () => {
    expect(await sample('clipped')).toMatchObject({ clipping: 'warn', loudness: 'warn', length: 'ok' })
    expect(await sample('noisy')).toMatchObject({ noise: 'warn', clipping: 'ok' })
    expect(await sample('eight-bit')).toMatchObject({ channels: 'warn' })
    expect(await sample('rate8k')).toMatchObject({ channels: 'warn' })
    expect(await sample('stereo48k')).toEqual(allOk) // made mono: nothing to warn about
    expect(await sample('long')).toMatchObject({ length: 'warn' })
  })

  it('mark the figure that refused the sample, and what was never measured', async () => {
    expect(await sample('short')).toMatchObject({ length: 'refuse', size: 'ok' })
    const silent = await sample('silence')
    expect(silent.length).toBe('refuse')
    expect(silent.noise).toBe('ok')
    expect(silent.size).toBe('unavailable')
    const text = await marks(new TextEncoder().encode('not audio at all, just some words in a file\n'.repeat(30)), 'notes.wav')
    expect(Object.values(text)).toEqual(Array(7).fill('unavailable'))
  })

  it('every warning or refusal of the checks shows as a mark', async () => {
    for (const name of ['speech', 'clipped', 'noisy', 'eight-bit', 'rate8k', 'long', 'short', 'silence'] as const) {
      const { quality } = await checkSample(files.bytes(name))
      const figures = assessSampleFigures(quality)
      if (quality.warnings.length > 0) expect(figures.some((f) => f.mark === 'warn'), name).toBe(true)
      if (quality.refusals.length > 0) expect(figures.some((f) => f.mark === 'refuse'), name).toBe(true)
      if (quality.warnings.length + quality.refusals.length === 0) expect(figures.every((f) => f.mark === 'ok'), name).toBe(true)
    }
  })
})
