import type { UserError } from '../../shared/errors'

/** The conversation database could not be used; the turn itself goes on. */
export class HistoryStorageError extends Error {
  constructor(
    message: string,
    readonly path: string,
    readonly hint?: string,
    cause?: unknown
  ) {
    super(message, { cause })
    this.name = 'HistoryStorageError'
  }
  toUserError(): UserError {
    return { kind: 'internal', code: 'history-storage', message: this.message, ...(this.hint ? { hint: this.hint } : {}) }
  }
}

/** A conversation or turn that is not (or no longer) kept. */
export class HistoryNotFoundError extends Error {
  constructor(readonly what: 'conversation' | 'turn' | 'audio') {
    super(`No such ${what} in the history`)
    this.name = 'HistoryNotFoundError'
  }
  toUserError(): UserError {
    const message =
      this.what === 'audio'
        ? 'No audio was kept for this answer. Turn on "Keep audio" to keep the next ones.'
        : this.what === 'conversation'
          ? 'That conversation is no longer in the history; it may have been deleted.'
          : 'That turn is no longer in the history; it may have been deleted.'
    return { kind: 'input', code: 'history-not-found', message }
  }
}
