/**
 * The settings document changes shape between versions; `schemaVersion` says which shape a file has.
 * Each migration takes the document of version N-1 and returns version N. Field values are checked
 * later (settingsFromStored), so a migration only moves and renames.
 *
 * Version 1: settings as top-level fields, `voice` a bare built-in voice id.
 * Version 2: settings under `settings`, `voice` a VoiceRef ({ kind, id }), `schemaVersion` at the top.
 * Version 3: `uploadFormat` ('compact': spoken questions go as MP3). Set explicitly on upgrade, so a
 * file written by this version says what it sends.
 */
export const SETTINGS_SCHEMA_VERSION = 3

type Doc = Record<string, unknown>

/** Top-level names version 1 used for settings (removed when moved). */
const V1_FIELDS = [
  'baseUrl', 'authStyle', 'chatModel', 'ttsModel', 'thinking', 'webSearch', 'systemPrompt', 'speakingStyle', 'voice',
  'hotkey', 'hotkeyMode', 'quickQuestions', 'inputDevice', 'outputDevice', 'maxRecordingSec', 'stopOnSilence',
  'silenceMs', 'volume', 'historyTurns', 'uiLanguage', 'firstRunDone'
]

const migrations: Record<number, (doc: Doc) => { doc: Doc; removed: string[] }> = {
  2: (doc) => {
    const settings: Doc = {}
    const removed: string[] = []
    for (const field of V1_FIELDS) {
      if (field in doc) {
        settings[field] = doc[field]
        removed.push(field)
      }
    }
    if (typeof settings.voice === 'string') settings.voice = { kind: 'builtin', id: settings.voice }
    const rest = Object.fromEntries(Object.entries(doc).filter(([k]) => !V1_FIELDS.includes(k)))
    return { doc: { ...rest, settings }, removed }
  },
  3: (doc) => {
    const settings = doc.settings && typeof doc.settings === 'object' ? (doc.settings as Doc) : {}
    return { doc: { ...doc, settings: { uploadFormat: 'compact', ...settings } }, removed: [] }
  }
}

/** The version a stored document claims; a document without one is version 1 if it holds settings, else new. */
export function storedVersion(doc: Doc): number {
  const v = doc.schemaVersion
  if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v
  return V1_FIELDS.some((f) => f in doc) ? 1 : SETTINGS_SCHEMA_VERSION
}

export interface MigrationResult {
  doc: Doc
  /** Top-level fields the migrated document no longer has. */
  removed: string[]
  from: number
  migrated: boolean
}

/** Brings a stored document up to the current version. A newer document is left as it is. */
export function migrateSettingsDocument(stored: Doc): MigrationResult {
  const from = storedVersion(stored)
  let doc = stored
  const removed: string[] = []
  for (let v = from + 1; v <= SETTINGS_SCHEMA_VERSION; v++) {
    const step = migrations[v]
    if (!step) continue
    const out = step(doc)
    doc = out.doc
    removed.push(...out.removed)
  }
  const migrated = from < SETTINGS_SCHEMA_VERSION
  if (migrated) doc = { ...doc, schemaVersion: SETTINGS_SCHEMA_VERSION }
  return { doc, removed, from, migrated }
}
