/** Files written whole: through a temporary file beside the target and a rename, so a crash never leaves half a file. */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

/** Writes `text` to `path` whole (owner-only permissions); the folder is made if missing. */
export function writeFileAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true })
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  writeFileSync(tmp, text, { mode: 0o600 })
  try {
    renameSync(tmp, path)
  } catch (err) {
    rmSync(tmp, { force: true })
    throw err
  }
}

/** Moves a damaged file aside (never overwritten, so nothing is lost); returns where it went. */
export function moveAside(path: string, now = new Date()): string | undefined {
  if (!existsSync(path)) return undefined
  const to = `${path}.damaged-${now.toISOString().replace(/[:.]/g, '-')}`
  renameSync(path, to)
  return to
}
