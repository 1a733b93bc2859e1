/**
 * Where MiMo Voice keeps its data: one folder for the app and the `mimo-voice` command, so both see
 * the same settings and saved voices. It is Electron's `userData` for an app named `mimo-voice`:
 * Linux `$XDG_CONFIG_HOME/mimo-voice` (default `~/.config/mimo-voice`), macOS
 * `~/Library/Application Support/mimo-voice`, Windows `%APPDATA%\mimo-voice`.
 * `MIMO_VOICE_DATA_DIR` replaces it (tests, portable installs).
 */
import { homedir as osHomedir } from 'node:os'
import { posix, win32 } from 'node:path'

export const APP_DIR_NAME = 'mimo-voice'

export interface PathEnvironment {
  env?: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
  homedir?: string
}

/** Electron's `app.getPath('appData')`: the folder that holds every app's data folder. */
export function appDataDir(o: PathEnvironment = {}): string {
  const env = o.env ?? process.env
  const platform = o.platform ?? process.platform
  const home = o.homedir ?? osHomedir()
  if (platform === 'win32') return env.APPDATA?.trim() || win32.join(home, 'AppData', 'Roaming')
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support')
  return env.XDG_CONFIG_HOME?.trim() || posix.join(home, '.config')
}

/** MiMo Voice's own data folder (settings `config.json`, `voices/`). */
export function userDataDir(o: PathEnvironment = {}): string {
  const override = (o.env ?? process.env).MIMO_VOICE_DATA_DIR?.trim()
  if (override) return override
  const path = (o.platform ?? process.platform) === 'win32' ? win32 : posix
  return path.join(appDataDir(o), APP_DIR_NAME)
}
