import { z } from 'zod'
import { BUILTIN_VOICES, type SampleQuality } from '../../shared/voices'
import { VoiceDescriptionError, VoiceNameError } from './errors'

export const MAX_NAME_LENGTH = 40
export const MAX_DESCRIPTION_LENGTH = 500

/** One saved voice as kept in the metadata (voices.json). A clone's sample is `<voicesDir>/<id>.wav`. */
export interface SavedVoiceRecord {
  id: string
  kind: 'clone' | 'design'
  name: string
  createdAt: string
  /** Clone: length of the saved sample in seconds. */
  durationSec?: number
  /** Clone: size of the sample file when saved; a different size on disk means it was damaged. */
  sampleBytes?: number
  /** Clone: the figures measured when the sample was checked. */
  quality?: SampleQuality
  /** Design: the description that makes the voice. */
  description?: string
  /** 'en' or 'zh' when known: picks the preview sentence. */
  language?: string
  updatedAt?: string
}

const qualitySchema = z
  .object({
    durationSec: z.number(),
    sampleRate: z.number(),
    channelsIn: z.number(),
    clippingShare: z.number(),
    rmsDbfs: z.number(),
    peakDbfs: z.number(),
    noiseDbfs: z.number(),
    trimmedLeadingSec: z.number(),
    trimmedTrailingSec: z.number(),
    base64Bytes: z.number(),
    warnings: z.array(z.string()),
    refusals: z.array(z.string())
  })
  .passthrough()

/** Ids are crypto.randomUUID(): URL-safe, and safe as a file name. */
export const voiceIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a voice id')

export const savedVoiceRecordSchema = z
  .object({
    id: voiceIdSchema,
    kind: z.enum(['clone', 'design']),
    name: z.string().min(1).max(MAX_NAME_LENGTH),
    createdAt: z.string(),
    durationSec: z.number().optional(),
    sampleBytes: z.number().int().nonnegative().optional(),
    quality: qualitySchema.optional(),
    description: z.string().max(MAX_DESCRIPTION_LENGTH).optional(),
    language: z.string().max(10).optional(),
    updatedAt: z.string().optional()
  })
  .passthrough()

/** Keeps every valid record of stored data and drops the rest, so one bad entry never hides the others. */
export function recordsFromStored(stored: unknown): SavedVoiceRecord[] {
  if (!Array.isArray(stored)) return []
  const out: SavedVoiceRecord[] = []
  const ids = new Set<string>()
  for (const item of stored) {
    const parsed = savedVoiceRecordSchema.safeParse(item)
    if (!parsed.success || ids.has(parsed.data.id)) continue
    ids.add(parsed.data.id)
    out.push(parsed.data as SavedVoiceRecord)
  }
  return out
}

const builtinNames = new Set(BUILTIN_VOICES.flatMap((v) => [v.id.toLowerCase(), v.name.toLowerCase()]))

/** Name the voice will be saved under: trimmed, 1 to 40 characters, unique ignoring case. */
export function normalizeVoiceName(raw: string, taken: readonly SavedVoiceRecord[], exceptId?: string): string {
  const name = raw.trim().replace(/\s+/g, ' ')
  if (name.length === 0) throw new VoiceNameError('Give the voice a name.')
  if ([...name].length > MAX_NAME_LENGTH) {
    throw new VoiceNameError(`A voice name can be at most ${MAX_NAME_LENGTH} characters long.`)
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new VoiceNameError('A voice name cannot hold control characters.')
  const key = name.toLowerCase()
  if (builtinNames.has(key)) throw new VoiceNameError(`'${name}' is the name of a built-in voice: choose another name.`)
  const clash = taken.find((r) => r.id !== exceptId && r.name.toLowerCase() === key)
  if (clash) throw new VoiceNameError(`There is already a voice named '${clash.name}': choose another name.`)
  return name
}

/** A design description: trimmed, 1 to 500 characters. */
export function normalizeDescription(raw: string): string {
  const description = raw.trim()
  if (description.length === 0) {
    throw new VoiceDescriptionError('Describe the voice, for example: "A calm, warm male voice, middle-aged, speaking slowly."')
  }
  if (description.length > MAX_DESCRIPTION_LENGTH) {
    throw new VoiceDescriptionError(`A voice description can be at most ${MAX_DESCRIPTION_LENGTH} characters long.`)
  }
  return description
}

/** 'zh' when the text is mostly Chinese characters, else 'en'. */
export function guessLanguage(text: string): 'zh' | 'en' {
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0
  const latin = text.match(/[A-Za-z]/g)?.length ?? 0
  return han > 0 && han * 2 >= latin ? 'zh' : 'en'
}
