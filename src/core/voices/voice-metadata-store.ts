import { existsSync, readFileSync } from 'node:fs'
import { moveAside, writeFileAtomically } from '../atomic-file'
import { VoiceStorageError } from './errors'
import { recordsFromStored, type SavedVoiceRecord } from './voice-record'

/**
 * Where the list of saved voices is kept. The app and the `mimo-voice` command both use
 * {@link JsonFileVoiceMetadataStore} on `voices.json` next to the samples, so both see one set of voices.
 */
export interface VoiceMetadataStore {
  get(): SavedVoiceRecord[]
  set(records: SavedVoiceRecord[]): void
}

/** Keeps the records in memory only (tests, and a store that should forget on exit). */
export class MemoryVoiceMetadataStore implements VoiceMetadataStore {
  private records: SavedVoiceRecord[]
  constructor(initial: SavedVoiceRecord[] = []) {
    this.records = structuredClone(initial)
  }
  get(): SavedVoiceRecord[] {
    return structuredClone(this.records)
  }
  set(records: SavedVoiceRecord[]): void {
    this.records = structuredClone(records)
  }
}

interface VoicesFile {
  version: 1
  voices: SavedVoiceRecord[]
}

/**
 * Records in a JSON file, read on every `get()` so that changes made by the other program (app or command)
 * are seen at once, and written whole through a temporary file and a rename so a crash never leaves half a file.
 * A damaged file reads as no voices and is moved aside (never overwritten) before the next write.
 */
export class JsonFileVoiceMetadataStore implements VoiceMetadataStore {
  /** Why the last read found no usable file content, if it did not. */
  lastReadProblem: string | undefined

  constructor(readonly path: string) {}

  get(): SavedVoiceRecord[] {
    this.lastReadProblem = undefined
    let text: string
    try {
      text = readFileSync(this.path, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw new VoiceStorageError(`Could not read the list of saved voices: ${(err as Error).message}`, this.path, err)
    }
    const parsed = parseVoicesFile(text)
    if (parsed === null) {
      this.lastReadProblem = `${this.path} is damaged (not the JSON list of voices)`
      return []
    }
    return parsed
  }

  set(records: SavedVoiceRecord[]): void {
    try {
      this.moveAsideIfDamaged()
      const body: VoicesFile = { version: 1, voices: records }
      writeFileAtomically(this.path, JSON.stringify(body, null, 2) + '\n')
    } catch (err) {
      if (err instanceof VoiceStorageError) throw err
      throw new VoiceStorageError(`Could not save the list of voices: ${(err as Error).message}`, this.path, err)
    }
  }

  private moveAsideIfDamaged(): void {
    if (!existsSync(this.path)) return
    let text: string
    try {
      text = readFileSync(this.path, 'utf8')
    } catch {
      return
    }
    if (parseVoicesFile(text) !== null) return
    moveAside(this.path)
  }
}

/** The records of a voices.json text, or null when it is not one. A bare array is accepted too. */
function parseVoicesFile(text: string): SavedVoiceRecord[] | null {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return null
  }
  if (Array.isArray(data)) return recordsFromStored(data)
  if (data && typeof data === 'object' && Array.isArray((data as { voices?: unknown }).voices)) {
    return recordsFromStored((data as { voices: unknown }).voices)
  }
  return null
}
