/**
 * The one owner of the microphone rules, asked by everything that records (push-to-talk, the
 * hands-free conversation, dictation, the voice-sample recorder, the microphone test):
 * - permission: where the system asks first (macOS), the first claim asks; a refusal is an error;
 * - one user at a time: a new claim takes the microphone, and the previous holder is told to let go.
 */
import type { UserError } from '../../shared/errors'
import type { MicrophonePermission } from '../ports'

export type MicrophoneUser = 'push-to-talk' | 'conversation' | 'dictation' | 'voice-sample' | 'mic-test'

export interface MicrophoneClaim {
  readonly user: MicrophoneUser
  /** Gives the microphone back; nothing happens when it was already taken by someone else. */
  release(): void
}

/** The system does not let MiMo Voice use the microphone. */
export class MicrophoneDeniedError extends Error {
  readonly code = 'microphone-denied'
  constructor() {
    super('MiMo Voice may not use the microphone.')
    this.name = 'MicrophoneDeniedError'
  }
  toUserError(): UserError {
    return {
      kind: 'audio',
      code: this.code,
      message: this.message,
      hint: 'Allow microphone access for MiMo Voice in System Settings > Privacy & Security > Microphone, then try again.'
    }
  }
}

const WHO: Record<MicrophoneUser, string> = {
  'push-to-talk': 'push-to-talk',
  conversation: 'the conversation',
  dictation: 'dictation',
  'voice-sample': 'a voice-sample recording',
  'mic-test': 'the microphone test'
}

/** What the previous holder hears when its microphone is taken: by whom, in words for the user. */
export function takenMessage(by: MicrophoneUser): string {
  return `The recording stopped because ${WHO[by]} took the microphone.`
}

interface Holder {
  claim: MicrophoneClaim
  onTaken: (by: MicrophoneUser) => void
}

export class Microphone {
  #holder: Holder | undefined
  readonly #changeListeners = new Set<(holder: MicrophoneUser | undefined) => void>()

  /** Without a permission port (Linux, Windows, the command) the microphone is always allowed. */
  constructor(private readonly permission?: MicrophonePermission) {}

  get holder(): MicrophoneUser | undefined {
    return this.#holder?.claim.user
  }

  /** Recording may start without asking the user (always, where the system does not ask). */
  isAllowed(): boolean {
    return !this.permission || this.permission.isGranted()
  }

  /** Runs whenever the microphone changes hands or is given back (dictation's open microphone follows it). */
  onHolderChange(listener: (holder: MicrophoneUser | undefined) => void): () => void {
    this.#changeListeners.add(listener)
    return () => this.#changeListeners.delete(listener)
  }

  #changed(): void {
    for (const l of this.#changeListeners) {
      try {
        l(this.holder)
      } catch {
        // a listener's fault must not keep the microphone
      }
    }
  }

  /**
   * Takes the microphone for `user`, asking the system first where it wants that (macOS). Rejects with
   * MicrophoneDeniedError where the system refuses. `onTaken` runs (once) when a later claim takes the
   * microphone away: the holder stops recording.
   */
  async claim(user: MicrophoneUser, onTaken: (by: MicrophoneUser) => void): Promise<MicrophoneClaim> {
    const now = this.claimIfAllowed(user, onTaken)
    if (now) return now
    if (!(await this.permission!.ensure())) throw new MicrophoneDeniedError()
    return this.#take(user, onTaken)
  }

  /** The same, at once; undefined when the system must ask the user first (then use claim()). */
  claimIfAllowed(user: MicrophoneUser, onTaken: (by: MicrophoneUser) => void): MicrophoneClaim | undefined {
    if (this.permission && !this.permission.isGranted()) return undefined
    return this.#take(user, onTaken)
  }

  #take(user: MicrophoneUser, onTaken: (by: MicrophoneUser) => void): MicrophoneClaim {
    const previous = this.#holder
    const holder: Holder = {
      onTaken,
      claim: {
        user,
        release: () => {
          if (this.#holder !== holder) return
          this.#holder = undefined
          this.#changed()
        }
      }
    }
    this.#holder = holder
    if (previous) {
      try {
        previous.onTaken(user)
      } catch {
        // the previous holder's clean-up must not stop the new one
      }
    }
    this.#changed()
    return holder.claim
  }
}
