import type { UserError } from '../shared/errors'

/** Core errors that know how to explain themselves to the user implement this. */
export interface ExplainableError {
  toUserError(): UserError
}

function isExplainable(err: unknown): err is ExplainableError {
  return typeof err === 'object' && err !== null && typeof (err as ExplainableError).toUserError === 'function'
}

/** Any thrown value as a sentence the user can act on; unknown errors become a generic internal error. */
export function toUserError(err: unknown): UserError {
  if (isExplainable(err)) return err.toUserError()
  const message = err instanceof Error ? err.message : String(err)
  return { kind: 'internal', message: `Something went wrong: ${message}` }
}
