import { z } from 'zod'
import type { UserError } from './errors'

/** Built-in voices of mimo-v2.5-tts. `mimo_default` is 冰糖 on the China cluster, Mia elsewhere. */
export const BUILTIN_VOICES = [
  { id: 'mimo_default', name: 'MiMo default', language: 'auto' },
  { id: '冰糖', name: '冰糖 (Bingtang)', language: 'zh' },
  { id: '茉莉', name: '茉莉 (Moli)', language: 'zh' },
  { id: '苏打', name: '苏打 (Suda)', language: 'zh' },
  { id: '白桦', name: '白桦 (Baihua)', language: 'zh' },
  { id: 'Mia', name: 'Mia', language: 'en' },
  { id: 'Chloe', name: 'Chloe', language: 'en' },
  { id: 'Milo', name: 'Milo', language: 'en' },
  { id: 'Dean', name: 'Dean', language: 'en' }
] as const
export const BUILTIN_VOICE_IDS: readonly string[] = BUILTIN_VOICES.map((v) => v.id)

/** Saved voice ids and draft ids (crypto.randomUUID()): safe as file names. */
export const VOICE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

const savedVoiceIdSchema = z.string().regex(VOICE_ID_PATTERN, 'not a saved voice id')

/** Which voice speaks: a built-in one, a saved clone (sample on disk) or a saved design (description). */
export const voiceRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('builtin'), id: z.string().refine((id) => BUILTIN_VOICE_IDS.includes(id), 'unknown built-in voice') }),
  z.object({ kind: z.literal('clone'), id: savedVoiceIdSchema }),
  z.object({ kind: z.literal('design'), id: savedVoiceIdSchema })
])
export type VoiceRef = z.infer<typeof voiceRefSchema>

export const DEFAULT_VOICE: VoiceRef = { kind: 'builtin', id: 'mimo_default' }

/** Quality figures measured on a voice-clone sample before it is saved. */
export interface SampleQuality {
  durationSec: number
  sampleRate: number
  channelsIn: number
  clippingShare: number
  rmsDbfs: number
  peakDbfs: number
  noiseDbfs: number
  trimmedLeadingSec: number
  trimmedTrailingSec: number
  base64Bytes: number
  warnings: string[]
  refusals: string[]
  /** The file as given: container, rate, sample size and length before any change. */
  inputFormat?: 'wav' | 'mp3'
  inputSampleRate?: number
  inputBitsPerSample?: number
  inputDurationSec?: number
  /** Length of speech after trimming, before the 30 s cap. */
  speechSec?: number
  /** Speech loudness above the noise estimate, in dB. */
  snrDb?: number
  /** The sample was resampled to `sampleRate` (its own rate was outside 16..48 kHz). */
  resampled?: boolean
  /** Figures that could not be measured on this input (their value above is then 0). */
  unavailable?: string[]
}

/** A voice as the UI lists it. */
export interface VoiceInfo {
  ref: VoiceRef
  name: string
  language?: string
  createdAt?: string
  /** Clone: sample length in seconds. */
  durationSec?: number
  /** Design: the description that made it. */
  description?: string
  quality?: SampleQuality
  /** A saved voice whose sample file is missing or damaged: shown, never sent. */
  problem?: string
}

export function sameVoice(a: VoiceRef, b: VoiceRef): boolean {
  return a.kind === b.kind && a.id === b.id
}

/** What checking a sample gives: the figures, and the draft waiting to be saved (null when refused). */
export interface SampleCheckResult {
  draftId: string | null
  quality: SampleQuality
}

/** Limits the window and the IPC contract share with the sample checks (src/core/voices/sample-quality.ts). */
export const SAMPLE_FIGURE_LIMITS = {
  /** Less speech is refused. */
  minSec: 3,
  /** The length to aim for. */
  targetMinSec: 5,
  targetMaxSec: 30,
  /** Warn when more than this share of samples is clipped. */
  clipWarnShare: 0.001,
  loudnessMinDbfs: -30,
  loudnessMaxDbfs: -10,
  noiseWarnDbfs: -45,
  /** The service takes at most 10 MB of base64 in `audio.voice`. */
  maxDataUriBytes: 10 * 1024 * 1024,
  minRate: 16_000
} as const

/** A sample recording stops by itself after this long (the checks keep the first 30 s of speech). */
export const SAMPLE_RECORD_MAX_MS = 35_000
/** An imported file larger than this is refused before it is read or sent to the main process. */
export const MAX_SAMPLE_IMPORT_BYTES = 60 * 1024 * 1024
/** Saved voice names and design descriptions, as the store allows them. */
export const MAX_VOICE_NAME_LENGTH = 40
export const MAX_VOICE_DESCRIPTION_LENGTH = 500
export type SampleFigureId = 'length' | 'clipping' | 'loudness' | 'silence' | 'noise' | 'channels' | 'size'
export type FigureMark = 'ok' | 'warn' | 'refuse' | 'unavailable'

/** One quality figure as the window shows it: which check, and how it came out. */
export interface SampleFigure {
  id: SampleFigureId
  mark: FigureMark
}

/**
 * How each figure of a checked sample came out, by the same limits as the checks. A refused sample marks
 * the figure that refused it (length, or size), and every figure it never measured as unavailable.
 */
export function assessSampleFigures(q: SampleQuality): SampleFigure[] {
  const L = SAMPLE_FIGURE_LIMITS
  const missing = new Set(q.unavailable ?? [])
  const refused = q.refusals.length > 0
  // Audio that was read but held no speech: the level was measured, the length never was.
  const noSpeech = refused && missing.has('durationSec') && !missing.has('rmsDbfs')
  const mark = (id: SampleFigureId, figures: (keyof SampleQuality)[], judge: () => FigureMark): SampleFigure => ({
    id,
    mark: figures.some((f) => missing.has(f)) ? 'unavailable' : judge()
  })
  return [
    noSpeech
      ? { id: 'length', mark: 'refuse' }
      : mark('length', ['durationSec'], () => {
          if (refused && q.durationSec < L.minSec) return 'refuse'
          if (q.durationSec < L.targetMinSec || (q.speechSec ?? q.durationSec) > L.targetMaxSec) return 'warn'
          return 'ok'
        }),
    mark('clipping', ['clippingShare'], () => (q.clippingShare > L.clipWarnShare ? 'warn' : 'ok')),
    mark('loudness', ['rmsDbfs'], () => (q.rmsDbfs < L.loudnessMinDbfs || q.rmsDbfs > L.loudnessMaxDbfs ? 'warn' : 'ok')),
    mark('silence', ['trimmedLeadingSec', 'trimmedTrailingSec'], () => 'ok'),
    mark('noise', ['noiseDbfs'], () => (q.noiseDbfs > L.noiseWarnDbfs ? 'warn' : 'ok')),
    mark('channels', ['channelsIn'], () =>
      (q.inputSampleRate !== undefined && q.inputSampleRate < L.minRate) || (q.inputBitsPerSample !== undefined && q.inputBitsPerSample > 0 && q.inputBitsPerSample <= 8)
        ? 'warn'
        : 'ok'
    ),
    mark('size', ['base64Bytes'], () => (q.base64Bytes > L.maxDataUriBytes ? 'refuse' : 'ok'))
  ]
}

/** A preview played through the speaker: its length, and whether it was stopped before the end. */
export interface PreviewResult {
  durationMs: number
  stopped?: boolean
}

/** Why a sample recording ended by itself. */
export interface SampleRecordingStopped {
  reason: 'max-length' | 'error'
  /** With reason 'error': what went wrong (the recording is gone). */
  error?: UserError
}
