import { z } from 'zod'

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

/** Which voice speaks: a built-in one, a saved clone (sample on disk) or a saved design (description). */
export const voiceRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('builtin'), id: z.string().refine((id) => BUILTIN_VOICE_IDS.includes(id), 'unknown built-in voice') }),
  z.object({ kind: z.literal('clone'), id: z.string().min(1).max(64) }),
  z.object({ kind: z.literal('design'), id: z.string().min(1).max(64) })
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
