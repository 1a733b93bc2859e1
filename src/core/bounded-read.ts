/**
 * Reading a file the user named (a question, a voice sample, a key file): it must be a regular file of a
 * sensible size, judged before a byte is read, so `/dev/zero`, a FIFO or a 10 GB file is refused at once.
 */
import { open } from 'node:fs/promises'
import type { UserError } from '../shared/errors'

export class FileInputError extends Error {
  constructor(
    message: string,
    readonly hint?: string
  ) {
    super(message)
    this.name = 'FileInputError'
  }
  toUserError(): UserError {
    return { kind: 'input', message: this.message, ...(this.hint ? { hint: this.hint } : {}) }
  }
}

const mb = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 0)} MB`

/** The whole file, when it is a regular file of at most `maxBytes`; `what` names it in the messages ("The audio file"). */
export async function readFileWithin(path: string, o: { what: string; maxBytes: number }): Promise<Buffer> {
  let handle
  try {
    handle = await open(path, 'r')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new FileInputError(`${o.what} "${path}" does not exist.`)
    if (code === 'EISDIR') throw new FileInputError(`${o.what} "${path}" is a folder, not a file.`)
    throw new FileInputError(`${o.what} "${path}" cannot be read: ${(err as Error).message}`)
  }
  try {
    const stat = await handle.stat()
    if (stat.isDirectory()) throw new FileInputError(`${o.what} "${path}" is a folder, not a file.`)
    if (!stat.isFile()) throw new FileInputError(`${o.what} "${path}" is not a regular file (a device or a pipe cannot be read here).`)
    if (stat.size > o.maxBytes) throw new FileInputError(`${o.what} "${path}" is ${mb(stat.size)}; at most ${mb(o.maxBytes)} can be read.`)
    // Read at most one byte past the limit: a file that grows while it is read is still refused.
    const buffer = Buffer.alloc(Math.min(o.maxBytes + 1, stat.size + 1))
    let length = 0
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length)
      if (bytesRead === 0) break
      length += bytesRead
    }
    if (length > o.maxBytes) throw new FileInputError(`${o.what} "${path}" is larger than ${mb(o.maxBytes)}.`)
    return buffer.subarray(0, length)
  } finally {
    await handle.close()
  }
}
