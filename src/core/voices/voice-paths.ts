import { join, win32 } from 'node:path'
import { userDataDir, type PathEnvironment } from '../app-paths'

export const VOICES_DIR_NAME = 'voices'
export const VOICES_METADATA_FILE = 'voices.json'

/** Folder of the saved voices: samples `<id>.wav` and the list `voices.json`. */
export function voicesDir(o: PathEnvironment = {}): string {
  const base = userDataDir(o)
  return (o.platform ?? process.platform) === 'win32' ? win32.join(base, VOICES_DIR_NAME) : join(base, VOICES_DIR_NAME)
}

/** `voices.json` inside a voices folder. */
export function voicesMetadataPath(dir: string): string {
  return join(dir, VOICES_METADATA_FILE)
}
