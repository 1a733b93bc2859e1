/**
 * The spoken question of one turn: the recorder session from the press to the release. The key may
 * be released before the recorder has started (a quick tap, a slow microphone): stop() waits for it.
 */
import type { LevelReading } from '../../shared/assistant'
import type { RecorderPort, Recording, RecordingSessionPort } from '../audio/recorder'
import type { UploadEncoder } from '../audio/upload-encoding'

/** A finished recording and the file to upload, encoded while it was captured. */
export interface RecordedQuestion extends Recording {
  upload: Uint8Array
}

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

  /** `encoder`: the upload, built as the audio arrives. */
  constructor(
    private readonly events: TurnRecordingEvents,
    private readonly encoder: UploadEncoder
  ) {}

  /** Starts the recorder; a release that came while it started ends the recording at once. */
  open(recorder: RecorderPort, o: { maxDurationMs: number; stopOnSilenceMs: number | null }): void {
    if (this.#over) return
    const session = recorder.start(o)
    this.#session = session
    session.on('level', (r) => this.events.level(r))
    session.on('frame', (pcm) => this.encoder.push(pcm))
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
  stop(): Promise<RecordedQuestion> | undefined {
    if (this.#over) return undefined
    const session = this.#session
    if (!session) {
      this.#stopWanted = true
      return undefined
    }
    this.#over = true
    this.#session = undefined
    return session.stop().then(async (recording) => {
      if (!recording.heardSpeech) {
        // Nothing will be sent.
        this.encoder.cancel()
        return { ...recording, upload: new Uint8Array(0) }
      }
      return { ...recording, upload: await this.encoder.finish(recording) }
    })
  }

  /** Drops the recording (barge-in, stop, the microphone taken). */
  cancel(): void {
    this.encoder.cancel()
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
