import type { z } from 'zod'
import type { UserError } from '../../shared/errors'

/** A value from the window or the command line that does not fit: names the field and the reason. */
export class InputError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string
  ) {
    super(field ? `${field}: ${reason}` : reason)
    this.name = 'InputError'
  }

  toUserError(): UserError {
    return { kind: 'input', message: this.message, ...(this.field ? { param: this.field } : {}) }
  }
}

/** The first problem zod found, as "field: reason" (the payload itself is called "payload"). */
export function inputErrorFromZod(error: z.ZodError): InputError {
  const issue = error.issues[0]
  if (!issue) return new InputError('payload', 'is not valid')
  let field = issue.path.map(String).join('.')
  if (issue.code === 'unrecognized_keys') {
    const keys = (issue as { keys?: string[] }).keys ?? []
    field = [field, keys[0]].filter(Boolean).join('.')
    return new InputError(field || 'payload', 'is not a setting this version knows')
  }
  return new InputError(field || 'payload', issue.message)
}
