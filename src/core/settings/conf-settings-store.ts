import { renameSync } from 'node:fs'
import { join } from 'node:path'
import Conf from 'conf'
import type { SettingsStore } from '../ports'
import { writeFileAtomically } from '../atomic-file'
import { userDataDir, type PathEnvironment } from '../app-paths'

export const CONFIG_NAME = 'config'

/** What the adapter needs of conf (electron-store is a conf subclass, so the app passes its store): the file and its reading. */
export interface ConfLike {
  readonly path: string
  readonly store: Record<string, unknown>
}

function moveAside(path: string, onDamaged?: (movedTo: string) => void): void {
  const movedTo = `${path}.damaged-${Date.now()}`
  renameSync(path, movedTo)
  onDamaged?.(movedTo)
}

function isParseError(err: unknown): boolean {
  return (err as Error)?.name === 'SyntaxError'
}

/** Creates the conf instance; a file that is not JSON (conf refuses it already in its constructor) is moved aside first. */
export function openConf<T extends ConfLike>(create: () => T, path: string, onDamaged?: (movedTo: string) => void): T {
  try {
    return create()
  } catch (err) {
    if (!isParseError(err)) throw err
    moveAside(path, onDamaged)
    return create()
  }
}

/**
 * A SettingsStore over a conf instance. A damaged file (not JSON) is moved aside as
 * `config.json.damaged-<time>` and reading starts over from defaults: the app must still open.
 * Writes go through writeFileAtomically (conf itself writes in place in some environments, e.g. Snap).
 */
export function settingsStoreFromConf(conf: ConfLike, onDamaged?: (movedTo: string) => void): SettingsStore {
  const read = (): Record<string, unknown> => {
    try {
      return { ...conf.store }
    } catch (err) {
      if (!isParseError(err)) throw err
      moveAside(conf.path, onDamaged)
      return {}
    }
  }
  // conf's own format (tab-indented JSON), so either can read what the other wrote.
  const save = (doc: Record<string, unknown>): void => writeFileAtomically(conf.path, JSON.stringify(doc, undefined, '\t'))
  return {
    path: conf.path,
    read,
    write(fields) {
      save({ ...read(), ...fields })
    },
    remove(keys) {
      const doc = read()
      for (const k of keys) delete doc[k]
      save(doc)
    }
  }
}

/**
 * The settings file of the app, read with plain Node (the `mimo-voice` command): the same
 * `<appData>/mimo-voice/config.json` electron-store uses.
 */
export function createConfSettingsStore(
  o: { cwd?: string; onDamaged?: (movedTo: string) => void } & PathEnvironment = {}
): SettingsStore {
  const cwd = o.cwd ?? userDataDir(o)
  const conf = openConf(
    () =>
      new Conf<Record<string, unknown>>({
        cwd,
        configName: CONFIG_NAME,
        // Keys are plain top-level names: no dot paths.
        accessPropertiesByDotNotation: false
      }) as unknown as ConfLike,
    join(cwd, `${CONFIG_NAME}.json`),
    o.onDamaged
  )
  return settingsStoreFromConf(conf, o.onDamaged)
}
