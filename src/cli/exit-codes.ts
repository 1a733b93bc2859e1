import type { UserError } from '../shared/errors'

export const EXIT = { ok: 0, failed: 1, usage: 2, api: 3, audio: 4, interrupted: 130 } as const

/** The exit code for an error the user sees: API and network faults 3, sound devices 4, refused input 2. */
export function exitCodeFor(error: UserError): number {
  if (error.code === 'no-speech') return EXIT.audio
  switch (error.kind) {
    case 'api':
    case 'network':
      return EXIT.api
    case 'audio':
      return EXIT.audio
    case 'input':
      return EXIT.usage
    default:
      return EXIT.failed
  }
}

/** One line for the terminal: the message, the field at fault, and how to fix it. */
export function describeError(error: UserError): string {
  const param = error.param && !error.message.includes(error.param) ? ` (${error.param})` : ''
  const hint = error.hint ? `\n${error.hint}` : ''
  return `Error: ${error.message}${param}${hint}`
}
