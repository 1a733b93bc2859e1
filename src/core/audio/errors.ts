import type { UserError } from '../../shared/errors'

/** Every audio failure: something the user can act on, never a crash. */
export abstract class AudioError extends Error {
  abstract readonly code: string
  /** How to fix it, e.g. an install command. */
  readonly hint?: string

  constructor(message: string, hint?: string) {
    super(message)
    this.name = new.target.name
    this.hint = hint
  }

  toUserError(): UserError {
    return { kind: 'audio', message: this.message, hint: this.hint, code: this.code }
  }
}

/** No recorder program (sox, rec, arecord) could be found or started. */
export class RecorderMissingError extends AudioError {
  readonly code = 'recorder-missing'
  readonly installHint: string

  constructor(
    readonly tried: string[],
    installHint: string
  ) {
    super(`No sound recorder was found (looked for ${tried.join(', ')}), so the microphone cannot be used.`, installHint)
    this.installHint = installHint
  }
}

/** No player program (pacat, aplay, play/sox) could be found or started. */
export class PlayerMissingError extends AudioError {
  readonly code = 'player-missing'
  readonly installHint: string

  constructor(
    readonly tried: string[],
    installHint: string
  ) {
    super(`No sound player was found (looked for ${tried.join(', ')}), so answers cannot be spoken.`, installHint)
    this.installHint = installHint
  }
}

export type AudioDeviceProblem = 'no-device' | 'no-daemon' | 'killed' | 'failed'

/** The recorder or player started but could not use the sound device, or died while running. */
export class AudioDeviceError extends AudioError {
  readonly code: string

  constructor(
    message: string,
    readonly problem: AudioDeviceProblem,
    readonly details: { program?: string; exitCode?: number | null; signal?: string | null; stderr?: string } = {},
    hint?: string
  ) {
    super(message, hint)
    this.code = `audio-${problem}`
  }
}

/** Bytes that are not a recording we can read. */
export class AudioFormatError extends AudioError {
  readonly code = 'audio-format'

  override toUserError(): UserError {
    return { kind: 'input', message: this.message, hint: this.hint, code: this.code }
  }
}

/** A file or stream sink could not be written. */
export class AudioOutputError extends AudioError {
  readonly code = 'audio-output'
}
