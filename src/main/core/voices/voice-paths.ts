import { homedir as osHomedir } from 'node:os'
import { join, posix, win32 } from 'node:path'

export const APP_DIR_NAME = 'mimo-voice'
export const VOICES_DIR_NAME = 'voices'
export const VOICES_METADATA_FILE = 'voices.json'

export interface PathEnvironment {
  env?: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
  homedir?: string
}

/**
 * The app's data folder, the same one Electron's `app.getPath('userData')` gives for `mimo-voice`:
 * Linux `$XDG_CONFIG_HOME/mimo-voice` (default `~/.config/mimo-voice`), macOS
 * `~/Library/Application Support/mimo-voice`, Windows `%APPDATA%\mimo-voice`.
 * `MIMO_VOICE_DATA_DIR` replaces it (tests, portable installs).
 */
export function appDataDir(o: PathEnvironment = {}): string {
  const env = o.env ?? process.env
  const platform = o.platform ?? process.platform
  const home = o.homedir ?? osHomedir()
  const override = env.MIMO_VOICE_DATA_DIR?.trim()
  if (override) return override
  if (platform === 'win32') {
    return win32.join(env.APPDATA?.trim() || win32.join(home, 'AppData', 'Roaming'), APP_DIR_NAME)
  }
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', APP_DIR_NAME)
  return posix.join(env.XDG_CONFIG_HOME?.trim() || posix.join(home, '.config'), APP_DIR_NAME)
}

/** Folder of the saved voices: samples `<id>.wav` and the list `voices.json`. */
export function voicesDir(o: PathEnvironment = {}): string {
  const base = appDataDir(o)
  return (o.platform ?? process.platform) === 'win32' ? win32.join(base, VOICES_DIR_NAME) : join(base, VOICES_DIR_NAME)
}

/** `voices.json` inside a voices folder. */
export function voicesMetadataPath(dir: string): string {
  return join(dir, VOICES_METADATA_FILE)
}
