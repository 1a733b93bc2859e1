import type { UserError } from '../../shared/errors'

/** Base of every error the voices feature throws; each one explains itself to the user. */
export abstract class VoiceError extends Error {
  abstract toUserError(): UserError
}

/** A sample failed the checks made before saving (too short, no speech, not audio...). Nothing is saved or sent. */
export class SampleRefusedError extends VoiceError {
  constructor(readonly refusals: string[]) {
    super(`Sample refused: ${refusals.join(' ')}`)
    this.name = 'SampleRefusedError'
  }
  toUserError(): UserError {
    return {
      kind: 'input',
      message: `This sample cannot be used: ${this.refusals.join(' ')}`,
      hint: 'Record 5 to 30 seconds of your own voice, speaking clearly in a quiet room.'
    }
  }
}

/** Saving a cloned voice needs the user to confirm it is their voice or they have permission. */
export class ConsentRequiredError extends VoiceError {
  constructor() {
    super('Consent is required to save a cloned voice')
    this.name = 'ConsentRequiredError'
  }
  toUserError(): UserError {
    return {
      kind: 'input',
      message: "Confirm that this is your voice, or that you have the speaker's permission, before saving it."
    }
  }
}

/** A voice name that is empty, too long, or already taken. */
export class VoiceNameError extends VoiceError {
  constructor(message: string) {
    super(message)
    this.name = 'VoiceNameError'
  }
  toUserError(): UserError {
    return { kind: 'input', message: this.message }
  }
}

/** A design description that is empty or too long. */
export class VoiceDescriptionError extends VoiceError {
  constructor(message: string) {
    super(message)
    this.name = 'VoiceDescriptionError'
  }
  toUserError(): UserError {
    return { kind: 'input', message: this.message }
  }
}

/** A saved voice (or a draft) that does not exist (any more). */
export class VoiceNotFoundError extends VoiceError {
  constructor(readonly what: string) {
    super(`Voice not found: ${what}`)
    this.name = 'VoiceNotFoundError'
  }
  toUserError(): UserError {
    return { kind: 'input', message: `There is no saved voice ${this.what}. Choose another voice in Voices.` }
  }
}

/** A checked sample waiting to be saved was discarded or expired. */
export class DraftNotFoundError extends VoiceError {
  constructor(readonly draftId: string) {
    super(`Draft not found: ${draftId}`)
    this.name = 'DraftNotFoundError'
  }
  toUserError(): UserError {
    return { kind: 'input', message: 'That sample is no longer waiting to be saved: record or import it again.' }
  }
}

/** A saved clone whose sample file is missing or damaged: never sent to the service. */
export class VoiceSampleError extends VoiceError {
  constructor(
    readonly voiceName: string,
    readonly reason: string
  ) {
    super(`The sample for '${voiceName}' is missing or damaged (${reason})`)
    this.name = 'VoiceSampleError'
  }
  toUserError(): UserError {
    return {
      kind: 'audio',
      message: `The sample for '${this.voiceName}' is missing or damaged: record or import it again.`,
      hint: this.reason
    }
  }
}

/** The voices folder or its metadata file could not be read or written. */
export class VoiceStorageError extends VoiceError {
  constructor(
    message: string,
    readonly path: string,
    cause?: unknown
  ) {
    super(message, { cause })
    this.name = 'VoiceStorageError'
  }
  toUserError(): UserError {
    return { kind: 'internal', message: this.message, hint: `Check that ${this.path} exists and can be written.` }
  }
}
