import {
  settingsFromStored,
  settingsPatchSchema,
  type Settings,
  type SettingsPatch
} from '../../shared/settings'
import { mcpServersSchema, type McpServers } from '../../shared/tools'
import type { SettingsStore } from '../ports'
import type { SettingsService } from '../services'
import { inputErrorFromZod } from './input-error'
import { migrateSettingsDocument, SETTINGS_SCHEMA_VERSION } from './settings-migrations'

type Listener = (s: Settings) => void

/**
 * Settings read from the store (migrated, every bad field back to its default), changed only through
 * validated patches, written at once, announced to listeners.
 */
export class StoredSettingsService implements SettingsService {
  #settings: Settings
  readonly #listeners = new Set<Listener>()

  constructor(private readonly store: SettingsStore) {
    const stored = store.read()
    const { doc, removed, migrated } = migrateSettingsDocument(stored)
    if (migrated) {
      if (removed.length) store.remove(removed)
      store.write({ schemaVersion: doc.schemaVersion, settings: doc.settings ?? {} })
    }
    this.#settings = settingsFromStored(doc.settings)
  }

  get path(): string {
    return this.store.path
  }

  get(): Settings {
    return this.#settings
  }

  /** One bad field refuses the whole patch (InputError naming the field). */
  update(patch: SettingsPatch): Settings {
    const parsed = settingsPatchSchema.safeParse(patch)
    if (!parsed.success) throw inputErrorFromZod(parsed.error)
    return this.#save({ ...this.#settings, ...stripUndefined(parsed.data) })
  }

  /** The MCP servers, whole (not a patch from the window: the caller has had the user confirm them). */
  setMcpServers(servers: McpServers): Settings {
    const parsed = mcpServersSchema.safeParse(servers)
    if (!parsed.success) throw inputErrorFromZod(parsed.error)
    return this.#save({ ...this.#settings, mcpServers: parsed.data })
  }

  #save(next: Settings): Settings {
    if (JSON.stringify(next) === JSON.stringify(this.#settings)) return this.#settings
    // Fields a newer version wrote stay in the file.
    const doc = this.store.read()
    const keep = doc.settings && typeof doc.settings === 'object' ? (doc.settings as Record<string, unknown>) : {}
    this.store.write({
      ...(typeof doc.schemaVersion === 'number' ? {} : { schemaVersion: SETTINGS_SCHEMA_VERSION }),
      settings: { ...keep, ...next }
    })
    this.#settings = next
    for (const l of [...this.#listeners]) l(next)
    return next
  }

  on(_e: 'change', l: Listener): () => void {
    this.#listeners.add(l)
    return () => this.#listeners.delete(l)
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}
