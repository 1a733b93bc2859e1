/**
 * The conversation database file: opened on first use (WAL, migrated to the current schema), and kept
 * usable whatever happens to the file. A damaged file is set aside (renamed with `.damaged-<time>`)
 * and a new one started; a file locked by another program, or written by a newer version, leaves the
 * history unavailable for that call only. Each problem is reported once, until the history works again.
 */
import { existsSync, mkdirSync, renameSync } from 'node:fs'
import { basename, join } from 'node:path'
import Database from 'libsql'
import type { UserError } from '../../shared/errors'
import type { HistoryStatus } from '../../shared/history'
import { toUserError } from '../user-error'
import { AudioFolder } from './audio-folder'
import { ConversationStore } from './conversation-store'
import { HistoryNotFoundError, HistoryStorageError } from './errors'
import { migrate, SCHEMA_VERSION, schemaVersion, type SqlDatabase } from './schema'

export const HISTORY_DIR_NAME = 'history'
export const HISTORY_FILE_NAME = 'history.db'
export const AUDIO_DIR_NAME = 'audio'

export interface HistoryDatabaseOptions {
  /** The folder holding the database file and the `audio/` folder. */
  dir: string
  /** How long a write waits for another program's write to finish (default 250 ms: the window must not stall). */
  busyTimeoutMs?: number
  /** A problem the user should hear of (once). */
  onProblem?: (error: UserError) => void
  now?: () => number
}

/** SQLite's answer for a file that is not a database, or a damaged one. */
function isDamaged(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB'))
}

function isSqliteError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code
  return typeof code === 'string' && code.startsWith('SQLITE_')
}

function isLocked(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
}

export class HistoryDatabase {
  readonly path: string
  readonly #dir: string
  readonly #audio: AudioFolder
  readonly #options: HistoryDatabaseOptions
  #db: SqlDatabase | null = null
  #store: ConversationStore | null = null
  #problem: UserError | undefined
  #reported = false
  #available = true
  /** Goes up when a new file replaces a damaged one: ids held from before mean nothing now. */
  #generation = 0

  constructor(o: HistoryDatabaseOptions) {
    this.#options = o
    this.#dir = o.dir
    this.path = join(o.dir, HISTORY_FILE_NAME)
    this.#audio = new AudioFolder(join(o.dir, AUDIO_DIR_NAME))
  }

  get generation(): number {
    return this.#generation
  }

  get audio(): AudioFolder {
    return this.#audio
  }

  status(): HistoryStatus {
    return { path: this.path, available: this.#available, ...(this.#problem ? { problem: this.#problem } : {}) }
  }

  /**
   * Runs `fn` on the store. A damaged file is set aside and `fn` runs again on a new one; any other
   * failure is reported (once) and thrown as a HistoryStorageError (or the store's own typed error).
   */
  use<T>(fn: (store: ConversationStore) => T): T {
    try {
      const out = fn(this.#open())
      this.#healthy()
      return out
    } catch (err) {
      // A statement that failed can stay open in the driver and block the next commit: start afresh.
      if (isSqliteError(err)) this.close()
      if (!isDamaged(err)) throw this.#fail(err)
      const movedTo = this.#setAside()
      this.#report(
        new HistoryStorageError(
          `The history file was damaged. It was set aside as ${basename(movedTo)} and a new one started.`,
          this.path,
          `The old file is in ${this.#dir}.`,
          err
        ).toUserError()
      )
      try {
        return fn(this.#open())
      } catch (again) {
        throw this.#fail(again)
      }
    }
  }

  /** Like use(), for work that must never stop a turn: a failure is reported and undefined returned. */
  attempt<T>(fn: (store: ConversationStore) => T): T | undefined {
    try {
      return this.use(fn)
    } catch {
      return undefined
    }
  }

  close(): void {
    try {
      // The WAL is folded back into the file, so the file alone holds everything once closed.
      this.#db?.exec('PRAGMA wal_checkpoint(TRUNCATE)')
    } catch {
      // another connection is reading; its own close will fold it in
    }
    try {
      this.#db?.close()
    } catch {
      // closing a broken handle
    }
    this.#db = null
    this.#store = null
  }

  #open(): ConversationStore {
    if (this.#store) return this.#store
    mkdirSync(this.#dir, { recursive: true })
    const db = new Database(this.path)
    try {
      db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.round(this.#options.busyTimeoutMs ?? 250))}`)
      db.exec('PRAGMA journal_mode = WAL')
      // WAL with NORMAL survives a crash of the app (a power cut may lose the last turn, never the file).
      db.exec('PRAGMA synchronous = NORMAL')
      db.exec('PRAGMA foreign_keys = ON')
      const version = schemaVersion(db)
      if (version > SCHEMA_VERSION) {
        this.#available = false
        throw new HistoryStorageError(
          'The history was written by a newer version of MiMo Voice, so this version does not change it.',
          this.path,
          'Update MiMo Voice to see and keep the history again.'
        )
      }
      migrate(db)
    } catch (err) {
      db.close()
      throw err
    }
    this.#db = db
    this.#store = new ConversationStore(db, this.#audio)
    this.#available = true
    return this.#store
  }

  /** Renames the damaged file (and its WAL and shared-memory files) out of the way. */
  #setAside(): string {
    this.close()
    const stamp = new Date(this.#options.now?.() ?? Date.now()).toISOString().replace(/[:.]/g, '-')
    const movedTo = `${this.path}.damaged-${stamp}`
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(this.path + suffix)) renameSync(this.path + suffix, movedTo + suffix)
    }
    this.#generation++
    return movedTo
  }

  #fail(err: unknown): unknown {
    if (err instanceof HistoryStorageError) {
      this.#report(err.toUserError())
      return err
    }
    // The store's own errors (a conversation that is gone) are the caller's to show.
    if (err instanceof HistoryNotFoundError) return err
    const wrapped = isLocked(err)
      ? new HistoryStorageError(
          'The history file is in use by another program, so this turn was not kept.',
          this.path,
          'Close other copies of MiMo Voice (or the mimo-voice command) that may be using it.',
          err
        )
      : new HistoryStorageError(`The history could not be kept: ${toUserError(err).message.replace(/^Something went wrong: /, '')}`, this.path, `Check that ${this.#dir} can be written.`, err)
    this.#report(wrapped.toUserError())
    return wrapped
  }

  #report(problem: UserError): void {
    const same = this.#problem?.message === problem.message
    this.#problem = problem
    if (same && this.#reported) return
    this.#reported = true
    this.#options.onProblem?.(problem)
  }

  /** A call worked: the next problem is news again. */
  #healthy(): void {
    this.#reported = false
  }
}
