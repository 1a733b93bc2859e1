import type { UserError } from '../../shared/errors'

/** Context that could not be gathered or sent, with what the user can do about it. */
export class ContextError extends Error {
  override name = 'ContextError'

  constructor(
    message: string,
    readonly code:
      | 'capture-unavailable'
      | 'capture-failed'
      | 'permission-denied'
      | 'private-window'
      | 'no-window'
      | 'selection-unavailable'
      | 'not-an-image'
      | 'image-too-large'
      | 'too-many-images'
      | 'model-cannot-see',
    readonly hint?: string
  ) {
    super(message)
  }

  toUserError(): UserError {
    return { kind: 'input', message: this.message, code: this.code, ...(this.hint ? { hint: this.hint } : {}) }
  }
}
