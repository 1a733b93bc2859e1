import type { UserError } from '../../shared/errors'

/** A turn that cannot go on for a reason the user can act on (no speech, no answer, nothing to retry). */
export class AssistantError extends Error {
  override name = 'AssistantError'

  constructor(
    message: string,
    readonly code: string,
    readonly kind: UserError['kind'] = 'input',
    readonly hint?: string
  ) {
    super(message)
  }

  toUserError(): UserError {
    return { kind: this.kind, message: this.message, code: this.code, ...(this.hint ? { hint: this.hint } : {}) }
  }
}

export const noSpeechError = (): AssistantError =>
  new AssistantError(
    'No speech heard.',
    'no-speech',
    'input',
    'Speak after pressing the key, closer to the microphone; check the input device in Settings, or run the microphone test.'
  )

/** macOS asked for the microphone on this press: the press that asked does not record. */
export const microphoneAllowedError = (): AssistantError =>
  new AssistantError('Microphone allowed.', 'microphone-allowed', 'audio', 'Press the shortcut again to talk.')

export const emptyAnswerError = (): AssistantError =>
  new AssistantError('MiMo sent an empty answer.', 'empty-answer', 'api', 'Try again, or ask the question another way.')

/** A saved voice that cannot be used: its sample is missing, or the voice store is not available here. */
export class VoiceUnavailableError extends AssistantError {
  override name = 'VoiceUnavailableError'

  constructor(message: string, hint = 'Choose another voice in the Voices page (or with --voice).') {
    super(message, 'voice-unavailable', 'input', hint)
  }
}
