/**
 * Files written whole or not at all: the bytes go to a temporary file beside the target, are flushed to
 * the disk (fsync), and the temporary file is renamed over the target; the folder is flushed too, so the
 * rename itself survives a power cut. A process killed at any step leaves the old file or the new one,
 * never half of one (at worst a stray hidden `*.tmp` beside it, which nothing reads).
 */
import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { mkdir, open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

export interface AtomicWriteOptions {
  /** Permissions of the new file; default 0o600 (only the user). */
  mode?: number
}

/** The temporary name: hidden, beside the target (a rename never crosses file systems), unique per write. */
export function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
}

function bytesOf(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data
}

/** Flushes a folder's entries (the rename). Windows cannot open a folder: there the rename is already durable. */
function syncFolder(dir: string): void {
  let fd: number | undefined
  try {
    fd = openSync(dir, 'r')
    fsyncSync(fd)
  } catch {
    // best effort: not every platform or file system lets a folder be flushed
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/** Writes `data` to `path` whole (owner-only permissions by default); the folder is made if missing. */
export function writeFileAtomically(path: string, data: string | Uint8Array, o: AtomicWriteOptions = {}): void {
  const dir = dirname(path)
  mkdirSync(dir, { recursive: true })
  const tmp = temporaryPathFor(path)
  const bytes = bytesOf(data)
  try {
    const fd = openSync(tmp, 'wx', o.mode ?? 0o600)
    try {
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(tmp, path)
  } catch (err) {
    rmSync(tmp, { force: true })
    throw err
  }
  syncFolder(dir)
}

/** writeFileAtomically without holding the event loop while the bytes are written and flushed. */
export async function writeFileAtomicallyAsync(path: string, data: string | Uint8Array, o: AtomicWriteOptions = {}): Promise<void> {
  const dir = dirname(path)
  await mkdir(dir, { recursive: true })
  const tmp = temporaryPathFor(path)
  try {
    const handle = await open(tmp, 'wx', o.mode ?? 0o600)
    try {
      await handle.writeFile(bytesOf(data))
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(tmp, path)
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined)
    throw err
  }
  syncFolder(dir)
}

/** Moves a damaged file aside (never overwritten, so nothing is lost); returns where it went. */
export function moveAside(path: string, now = new Date()): string | undefined {
  if (!existsSync(path)) return undefined
  const to = `${path}.damaged-${now.toISOString().replace(/[:.]/g, '-')}`
  renameSync(path, to)
  return to
}
