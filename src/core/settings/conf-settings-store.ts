import { renameSync } from 'node:fs'
import { join } from 'node:path'
import Conf from 'conf'
import type { SettingsStore } from '../ports'
import { userDataDir, type PathEnvironment } from '../app-paths'

export const CONFIG_NAME = 'config'

/** What the adapter needs of conf (electron-store is a conf subclass, so the app passes its store). */
export interface ConfLike {
  readonly path: string
  readonly store: Record<string, unknown>
  set(object: Record<string, unknown>): void
  delete(key: string): void
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
  return {
    path: conf.path,
    read,
    write(fields) {
      read() // moves a damaged file aside before conf tries to parse it
      conf.set(fields)
    },
    remove(keys) {
      read()
      for (const k of keys) conf.delete(k)
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
