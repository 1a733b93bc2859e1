/**
 * An error as the user sees it: a sentence they can act on, never a stack trace.
 * Errors cross IPC as these values; they are never thrown into the renderer.
 */
export interface UserError {
  kind: 'api' | 'audio' | 'input' | 'network' | 'internal'
  message: string
  /** How to fix it, e.g. an install command for a missing recorder. */
  hint?: string
  /** HTTP status, for API errors. */
  status?: number
  code?: string
  /** The service's `param` text: names the field at fault. */
  param?: string
}

/** The message and how to fix it, as one text (a desktop notification's body). */
export function withHint(error: UserError): string {
  return [error.message, error.hint].filter(Boolean).join(' ')
}

/** What every IPC invoke returns: a value or a user-facing error, never a rejected promise. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: UserError }

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })
export const fail = (error: UserError): Result<never> => ({ ok: false, error })
