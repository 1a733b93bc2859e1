import { renameSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, posix, win32 } from 'node:path'
import Conf from 'conf'
import type { SettingsStore } from '../../ports'

/** The folder name under the platform's application-data folder (Electron's userData). */
export const APP_DIR_NAME = 'mimo-voice'
export const CONFIG_NAME = 'config'

export interface PlatformPaths {
  platform?: NodeJS.Platform
  env?: NodeJS.ProcessEnv
  home?: string
}

/**
 * Electron's `app.getPath('appData')`: %APPDATA% on Windows, ~/Library/Application Support on macOS,
 * $XDG_CONFIG_HOME or ~/.config elsewhere.
 */
export function appDataDir(o: PlatformPaths = {}): string {
  const platform = o.platform ?? process.platform
  const env = o.env ?? process.env
  const home = o.home ?? homedir()
  if (platform === 'win32') return env.APPDATA || win32.join(home, 'AppData', 'Roaming')
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support')
  return env.XDG_CONFIG_HOME || posix.join(home, '.config')
}

/** The app's userData folder; the app pins it to this same path at start-up. */
export function appConfigDir(o: PlatformPaths = {}): string {
  const path = (o.platform ?? process.platform) === 'win32' ? win32 : posix
  return path.join(appDataDir(o), APP_DIR_NAME)
}

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
  o: { cwd?: string; onDamaged?: (movedTo: string) => void } & PlatformPaths = {}
): SettingsStore {
  const cwd = o.cwd ?? appConfigDir(o)
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
