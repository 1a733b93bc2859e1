/**
 * Dictation's open microphone: while dictation is on (and the user keeps this setting), a
 * low-latency recorder runs and keeps only the last few hundred milliseconds, so a dictation that
 * starts at key-down already has the audio from before the key, and a first word spoken with the
 * key is never cut. Nothing is kept or sent unless the key is pressed.
 *
 * It never competes for the microphone: it runs only while nobody holds it (or dictation does),
 * stops when push-to-talk, the conversation, a voice sample or the microphone test take it, and
 * opens again when it is given back.
 */
import type { ListeningRecorder, ListeningSession } from '../modes/conversation-mode'
import type { Microphone } from '../audio/microphone'
import { RecentFrames } from '../audio/recent-frames'

export interface ReadyMicrophoneDeps {
  recorder: ListeningRecorder
  microphone: Microphone
  /** Read on every update(): the setting, and whether dictation has a shortcut at all. */
  enabled: () => boolean
  /** Audio kept from before the key. Default 300 ms. */
  preRollMs?: number
  sampleRate?: number
  /** The stream failed (no microphone...): said once; it opens again on the next update. */
  onProblem?: (err: Error) => void
}

/** The stream, handed to a dictation from its key-down to its release. */
export interface TakenStream {
  /** The audio from just before the key. */
  preRoll: Int16Array[]
  /** Gives the stream back (it goes on as the pre-roll for the next dictation). */
  release(): void
}

/** The recorder's length limit: when reached, the stream is opened again. */
const SESSION_MS = 6 * 60 * 60 * 1000

export class ReadyMicrophone {
  readonly #d: ReadyMicrophoneDeps
  readonly #preRoll: RecentFrames
  #session: ListeningSession | undefined
  #taker: ((frame: Int16Array, speech: boolean) => void) | undefined
  #offHolder: () => void
  #disposed = false

  constructor(deps: ReadyMicrophoneDeps) {
    this.#d = deps
    this.#preRoll = new RecentFrames(deps.preRollMs ?? 300, deps.sampleRate ?? 16000)
    this.#offHolder = deps.microphone.onHolderChange(() => this.update())
  }

  get running(): boolean {
    return this.#session !== undefined
  }

  /** Opens or closes the stream as the setting and the microphone's holder allow. */
  update(): void {
    const holder = this.#d.microphone.holder
    const wanted = !this.#disposed && this.#d.enabled() && this.#d.microphone.isAllowed() && (holder === undefined || holder === 'dictation')
    if (wanted && !this.#session) this.#open()
    else if (!wanted && this.#session) this.#close()
  }

  /** The running stream for a dictation: its pre-roll now, then each frame to `onFrame`. Undefined when it is not running. */
  take(onFrame: (frame: Int16Array, speech: boolean) => void): TakenStream | undefined {
    if (!this.#session) return undefined
    const preRoll = this.#preRoll.take()
    this.#taker = onFrame
    return {
      preRoll,
      release: () => {
        if (this.#taker === onFrame) this.#taker = undefined
      }
    }
  }

  dispose(): void {
    this.#disposed = true
    this.#offHolder()
    this.#close()
  }

  #open(): void {
    let session: ListeningSession
    try {
      session = this.#d.recorder.start({ maxDurationMs: SESSION_MS, stopOnSilenceMs: null, keepAudio: false })
    } catch (err) {
      this.#d.onProblem?.(err as Error)
      return
    }
    this.#session = session
    session.on('frame', (frame, speech) => {
      if (this.#session !== session) return
      if (this.#taker) return this.#taker(frame, speech)
      this.#preRoll.push(frame)
    })
    session.on('autostop', () => {
      if (this.#session !== session) return
      this.#close()
      this.update()
    })
    session.on('error', (err) => {
      if (this.#session !== session) return
      this.#session = undefined
      this.#preRoll.clear()
      this.#d.onProblem?.(err)
    })
  }

  #close(): void {
    const session = this.#session
    this.#session = undefined
    this.#preRoll.clear()
    this.#taker = undefined
    try {
      session?.cancel()
    } catch {
      // going away anyway
    }
  }
}
