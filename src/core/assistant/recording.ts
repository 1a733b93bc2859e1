/**
 * The spoken question of one turn: the recorder session from the press to the release. The key may
 * be released before the recorder has started (a quick tap, a slow microphone): stop() waits for it.
 */
import type { LevelReading } from '../../shared/assistant'
import type { RecorderPort, Recording, RecordingSessionPort } from '../audio/recorder'

export interface TurnRecordingEvents {
  level(r: LevelReading): void
  /** The recorder stopped by itself (silence, length limit): the question should be sent. */
  autostop(): void
  failed(err: Error): void
}

export class TurnRecording {
  #session: RecordingSessionPort | undefined
  #stopWanted = false
  #over = false

  constructor(private readonly events: TurnRecordingEvents) {}

  /** Starts the recorder; a release that came while it started ends the recording at once. */
  open(recorder: RecorderPort, o: { maxDurationMs: number; stopOnSilenceMs: number | null }): void {
    if (this.#over) return
    const session = recorder.start(o)
    this.#session = session
    session.on('level', (r) => this.events.level(r))
    session.on('autostop', () => this.events.autostop())
    session.on('error', (err) => this.events.failed(err))
    if (this.#stopWanted) this.events.autostop()
  }

  /** The recorder is running (open() was called and the recording is not over). */
  get started(): boolean {
    return this.#session !== undefined
  }

  /**
   * Ends the recording and hands it over; undefined when the recorder has not started yet (the
   * release is remembered, and open() ends it as soon as the recorder runs).
   */
  stop(): Promise<Recording> | undefined {
    if (this.#over) return undefined
    const session = this.#session
    if (!session) {
      this.#stopWanted = true
      return undefined
    }
    this.#over = true
    this.#session = undefined
    return session.stop()
  }

  /** Drops the recording (barge-in, stop, the microphone taken). */
  cancel(): void {
    this.#over = true
    const session = this.#session
    this.#session = undefined
    try {
      session?.cancel()
    } catch {
      // the recorder is going away anyway
    }
  }
}
