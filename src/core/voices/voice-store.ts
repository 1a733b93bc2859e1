import { randomUUID } from 'node:crypto'
import { readFile, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { SampleQuality, VoiceInfo, VoiceRef } from '../../shared/voices'
import type { TtsVoice } from '../mimo/builders'
import { decodeWav } from '../audio/wav'
import { writeFileAtomicallyAsync } from '../atomic-file'
import { ConsentRequiredError, SampleRefusedError, VoiceNotFoundError, VoiceSampleError, VoiceStorageError } from './errors'
import { checkSample, type SampleCheck } from './sample-quality'
import type { VoiceMetadataStore } from './voice-metadata-store'
import { guessLanguage, normalizeDescription, normalizeVoiceName, voiceIdSchema, type SavedVoiceRecord } from './voice-record'

export interface VoiceStoreOptions {
  /** Folder of the samples, `<dir>/<id>.wav`. */
  dir: string
  metadata: VoiceMetadataStore
  now?: () => Date
  newId?: () => string
}

export interface AddCloneOptions {
  fileName?: string
  /** 'en' or 'zh': the language of the preview sentence. */
  language?: string
}

/** A checked sample ready to be saved: mono PCM16 WAV and its figures. */
export interface CheckedSample {
  wav: Buffer
  quality: SampleQuality
}

/**
 * Saved voices: clone samples as `<dir>/<id>.wav` (mono PCM16 WAV) and every voice's record in the metadata
 * store. A new store over the same folder and metadata sees the same voices. A sample is written before its
 * record, and a record removed before its sample, so a crash leaves at worst an unused file, never a record
 * pointing at nothing that was not already broken.
 */
export class VoiceStore {
  readonly dir: string
  private readonly metadata: VoiceMetadataStore
  private readonly now: () => Date
  private readonly newId: () => string
  /** Last inspection of each sample file, reused while its size and time are unchanged. */
  private readonly inspected = new Map<string, { key: string; problem: string | undefined }>()

  constructor(o: VoiceStoreOptions) {
    this.dir = o.dir
    this.metadata = o.metadata
    this.now = o.now ?? (() => new Date())
    this.newId = o.newId ?? randomUUID
  }

  /** The saved records, in the order they were made. */
  records(): SavedVoiceRecord[] {
    return this.metadata.get()
  }

  get(id: string): SavedVoiceRecord | undefined {
    return this.records().find((r) => r.id === id)
  }

  /** A saved voice by id, or by name ignoring case and surrounding spaces. */
  find(idOrName: string): SavedVoiceRecord | undefined {
    const records = this.records()
    const key = idOrName.trim().toLowerCase()
    return records.find((r) => r.id === idOrName) ?? records.find((r) => r.name.toLowerCase() === key)
  }

  samplePath(id: string): string {
    // Ids come from randomUUID; anything else must never become a path.
    if (!voiceIdSchema.safeParse(id).success) throw new VoiceNotFoundError(`with id '${id}'`)
    return join(this.dir, `${id}.wav`)
  }

  /** Checks a sample, then saves it as a new cloned voice; a refused sample throws SampleRefusedError and saves nothing. */
  async addClone(bytes: Uint8Array, name: string, consent: boolean, o: AddCloneOptions = {}): Promise<{ record: SavedVoiceRecord; quality: SampleQuality }> {
    if (consent !== true) throw new ConsentRequiredError()
    normalizeVoiceName(name, this.records())
    const checked = requireUsable(await checkSample(bytes, { fileName: o.fileName }))
    const record = await this.saveCheckedClone(checked, name, consent, o)
    return { record, quality: checked.quality }
  }

  /** Saves a sample that already passed the checks (a draft). */
  async saveCheckedClone(sample: CheckedSample, name: string, consent: boolean, o: { language?: string } = {}): Promise<SavedVoiceRecord> {
    if (consent !== true) throw new ConsentRequiredError()
    normalizeVoiceName(name, this.records())
    const id = this.newId()
    await this.writeSample(id, sample.wav)
    // Checked again against the list as it is now: another save may have taken the name meanwhile.
    const records = this.records()
    let finalName: string
    try {
      finalName = normalizeVoiceName(name, records)
    } catch (err) {
      await rm(this.samplePath(id), { force: true })
      throw err
    }
    const record: SavedVoiceRecord = {
      id,
      kind: 'clone',
      name: finalName,
      createdAt: this.now().toISOString(),
      durationSec: sample.quality.durationSec,
      sampleBytes: sample.wav.length,
      quality: sample.quality,
      ...(o.language ? { language: o.language } : {})
    }
    this.metadata.set([...records, record])
    return record
  }

  /** Saves a designed voice: a name and the description the voice-design model speaks from. */
  addDesign(name: string, description: string, o: { language?: string } = {}): SavedVoiceRecord {
    const records = this.records()
    const text = normalizeDescription(description)
    const record: SavedVoiceRecord = {
      id: this.newId(),
      kind: 'design',
      name: normalizeVoiceName(name, records),
      createdAt: this.now().toISOString(),
      description: text,
      language: o.language ?? guessLanguage(text)
    }
    this.metadata.set([...records, record])
    return record
  }

  rename(id: string, name: string): SavedVoiceRecord {
    const records = this.records()
    const index = records.findIndex((r) => r.id === id)
    if (index < 0) throw new VoiceNotFoundError(`with id '${id}'`)
    const updated = { ...records[index], name: normalizeVoiceName(name, records, id), updatedAt: this.now().toISOString() }
    records[index] = updated
    this.metadata.set(records)
    return updated
  }

  /** Changes a design's description. */
  redescribe(id: string, description: string): SavedVoiceRecord {
    const records = this.records()
    const index = records.findIndex((r) => r.id === id)
    if (index < 0 || records[index].kind !== 'design') throw new VoiceNotFoundError(`with id '${id}'`)
    const updated = { ...records[index], description: normalizeDescription(description), updatedAt: this.now().toISOString() }
    records[index] = updated
    this.metadata.set(records)
    return updated
  }

  /** Deletes a voice and, for a clone, its sample file. */
  async remove(id: string): Promise<SavedVoiceRecord> {
    const records = this.records()
    const record = records.find((r) => r.id === id)
    if (!record) throw new VoiceNotFoundError(`with id '${id}'`)
    this.metadata.set(records.filter((r) => r.id !== id))
    if (record.kind === 'clone') {
      try {
        await rm(this.samplePath(id), { force: true })
      } catch (err) {
        throw new VoiceStorageError(`The voice was removed, but its sample file could not be deleted: ${(err as Error).message}`, this.samplePath(id), err)
      }
      this.inspected.delete(id)
    }
    return record
  }

  /** Re-record: checks the new sample and puts it in place of a clone's old one (same id and name). */
  async replaceSample(id: string, bytes: Uint8Array, consent: boolean, o: AddCloneOptions = {}): Promise<{ record: SavedVoiceRecord; quality: SampleQuality }> {
    if (consent !== true) throw new ConsentRequiredError()
    const existing = this.get(id)
    if (!existing || existing.kind !== 'clone') throw new VoiceNotFoundError(`with id '${id}'`)
    const checked = requireUsable(await checkSample(bytes, { fileName: o.fileName }))
    const record = await this.replaceCheckedSample(id, checked)
    return { record, quality: checked.quality }
  }

  /** Puts an already checked sample (a draft) in place of a clone's old one. */
  async replaceCheckedSample(id: string, sample: CheckedSample): Promise<SavedVoiceRecord> {
    if (!this.get(id)) throw new VoiceNotFoundError(`with id '${id}'`)
    await this.writeSample(id, sample.wav)
    const records = this.records()
    const index = records.findIndex((r) => r.id === id)
    if (index < 0) {
      await rm(this.samplePath(id), { force: true })
      throw new VoiceNotFoundError(`with id '${id}'`)
    }
    const updated: SavedVoiceRecord = {
      ...records[index],
      durationSec: sample.quality.durationSec,
      sampleBytes: sample.wav.length,
      quality: sample.quality,
      updatedAt: this.now().toISOString()
    }
    records[index] = updated
    this.metadata.set(records)
    return updated
  }

  /** The saved voices as the UI lists them; a clone whose file is missing or damaged carries `problem`. */
  async list(): Promise<VoiceInfo[]> {
    const out: VoiceInfo[] = []
    for (const record of this.records()) {
      const info: VoiceInfo = {
        ref: { kind: record.kind, id: record.id },
        name: record.name,
        createdAt: record.createdAt,
        ...(record.language ? { language: record.language } : {}),
        ...(record.durationSec !== undefined ? { durationSec: record.durationSec } : {}),
        ...(record.description !== undefined ? { description: record.description } : {}),
        ...(record.quality ? { quality: record.quality } : {})
      }
      if (record.kind === 'clone') {
        const problem = await this.inspect(record)
        if (problem) info.problem = problem
      }
      out.push(info)
    }
    return out
  }

  /** A clone's sample bytes after checking the file; a missing or damaged file throws VoiceSampleError. */
  /** What a speech request needs for a saved voice: a clone's checked sample, a design's description. */
  async ttsVoice(ref: VoiceRef): Promise<TtsVoice> {
    const record = this.get(ref.id)
    if (!record || record.kind !== ref.kind) throw new VoiceNotFoundError(`with id '${ref.id}'`)
    if (record.kind === 'design') return { kind: 'design', description: record.description ?? '' }
    return { kind: 'clone', sample: await this.readSample(record.id) }
  }

  async readSample(id: string): Promise<Buffer> {
    const record = this.get(id)
    if (!record || record.kind !== 'clone') throw new VoiceNotFoundError(`with id '${id}'`)
    let bytes: Buffer
    try {
      bytes = await readFile(this.samplePath(id))
    } catch (err) {
      throw new VoiceSampleError(record.name, fileProblem(err))
    }
    const problem = sampleProblem(record, bytes)
    if (problem) throw new VoiceSampleError(record.name, problem)
    return bytes
  }

  /** Why a clone's sample cannot be used, or undefined when it is fine. */
  private async inspect(record: SavedVoiceRecord): Promise<string | undefined> {
    const path = this.samplePath(record.id)
    let key: string
    try {
      const s = await stat(path)
      key = `${s.size}:${s.mtimeMs}:${record.sampleBytes ?? ''}`
    } catch (err) {
      return fileProblem(err)
    }
    const cached = this.inspected.get(record.id)
    if (cached?.key === key) return cached.problem
    let problem: string | undefined
    try {
      problem = sampleProblem(record, await readFile(path))
    } catch (err) {
      problem = fileProblem(err)
    }
    this.inspected.set(record.id, { key, problem })
    return problem
  }

  private async writeSample(id: string, wav: Buffer): Promise<void> {
    const path = this.samplePath(id)
    try {
      await writeFileAtomicallyAsync(path, wav)
    } catch (err) {
      throw new VoiceStorageError(`Could not save the voice sample: ${(err as Error).message}`, path, err)
    }
    this.inspected.delete(id)
  }
}

/** The check result as a usable sample, or SampleRefusedError. */
export function requireUsable(check: SampleCheck): CheckedSample {
  if (check.wav === null || check.quality.refusals.length > 0) {
    throw new SampleRefusedError(check.quality.refusals.length > 0 ? check.quality.refusals : ['The sample could not be used.'])
  }
  return { wav: check.wav, quality: check.quality }
}

/** Why a sample's bytes are not the mono PCM16 WAV that was saved, or undefined when they are. */
function sampleProblem(record: SavedVoiceRecord, bytes: Buffer): string | undefined {
  if (record.sampleBytes !== undefined && bytes.length !== record.sampleBytes) {
    return `The sample file is ${bytes.length} bytes, not the ${record.sampleBytes} saved: it was changed or damaged.`
  }
  try {
    const decoded = decodeWav(bytes)
    if (decoded.frames === 0) return 'The sample file holds no audio.'
    if (decoded.channels !== 1 || decoded.bitsPerSample !== 16 || decoded.format !== 'pcm') {
      return 'The sample file is not the mono 16-bit WAV that was saved.'
    }
  } catch (err) {
    return `The sample file is damaged: ${(err as Error).message}`
  }
  return undefined
}

function fileProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code
  if (code === 'ENOENT') return 'The sample file is missing.'
  return `The sample file cannot be read: ${(err as Error).message}`
}
