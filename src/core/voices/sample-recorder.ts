/**
 * Records a voice-clone sample from the microphone (in the main process: the window has no microphone
 * access), then hands it to the sample checks. One recording at a time; it stops by itself after
 * SAMPLE_RECORD_MAX_MS, and says so with a 'stopped' event, as it does when the recorder fails.
 */
import type { LevelReading } from '../../shared/assistant'
import type { UserError } from '../../shared/errors'
import type { SampleRecordingStopped } from '../../shared/voices'
import { SAMPLE_RECORD_MAX_MS, type SampleCheckResult } from '../../shared/voices'
import type { RecorderPort, Recording, RecordingSessionPort } from '../audio/recorder'
import { encodeWav } from '../audio/wav'
import { takenMessage, type Microphone, type MicrophoneClaim } from '../audio/microphone'
import { toUserError } from '../user-error'
import { VoiceError } from './errors'

export interface SampleRecorderDeps {
  /** The microphone, asked for at each start so a changed input device is followed. */
  recorder: () => RecorderPort
  /** The sample checks (the voices service's checkSample): keeps a usable sample as a draft. */
  check: (wav: Uint8Array) => Promise<SampleCheckResult>
  /** Permission and one user at a time: a sample recording holds it until it stops. */
  microphone: Microphone
  maxDurationMs?: number
}

export interface SampleRecorder {
  /** Starts recording (a recording already running is dropped first). */
  start(): Promise<{ maxDurationMs: number }>
  /** Ends the recording and checks it: the figures, and a draft id when it can be saved. */
  stop(): Promise<SampleCheckResult>
  /** Ends the recording and drops it. */
  cancel(): void
  readonly recording: boolean
  on(e: 'level', l: (r: LevelReading) => void): () => void
  on(e: 'stopped', l: (s: SampleRecordingStopped) => void): () => void
}

/** Stop (or a preview of a recording) with no recording running. */
export class NoSampleRecordingError extends VoiceError {
  constructor() {
    super('No voice sample is being recorded')
    this.name = 'NoSampleRecordingError'
  }
  toUserError(): UserError {
    return { kind: 'input', message: 'No sample is being recorded: press Record first.' }
  }
}

/** The microphone delivered no sound at all (not even silence). */
export class EmptySampleRecordingError extends VoiceError {
  constructor() {
    super('The sample recording holds no audio')
    this.name = 'EmptySampleRecordingError'
  }
  toUserError(): UserError {
    return {
      kind: 'audio',
      message: 'The microphone gave no sound: nothing was recorded.',
      hint: 'Check the microphone and the input device in Settings, then record again.'
    }
  }
}

export function createSampleRecorder(deps: SampleRecorderDeps): SampleRecorder {
  const maxDurationMs = deps.maxDurationMs ?? SAMPLE_RECORD_MAX_MS
  const levelListeners = new Set<(r: LevelReading) => void>()
  const stoppedListeners = new Set<(s: SampleRecordingStopped) => void>()
  let session: RecordingSessionPort | undefined
  let claim: MicrophoneClaim | undefined

  const emitStopped = (s: SampleRecordingStopped): void => {
    for (const l of stoppedListeners) l(s)
  }

  function cancel(): void {
    const current = session
    session = undefined
    claim?.release()
    claim = undefined
    current?.cancel()
  }

  return {
    get recording() {
      return session !== undefined
    },

    async start() {
      cancel()
      const mine = await deps.microphone.claim('voice-sample', (by) => {
        // Push-to-talk or the microphone test took the microphone: this recording is dropped.
        if (claim !== mine) return
        cancel()
        emitStopped({ reason: 'error', error: { kind: 'audio', message: `${takenMessage(by)} Record the sample again.` } })
      })
      claim = mine
      let current: RecordingSessionPort
      try {
        const microphone = deps.recorder()
        await microphone.findRecorder?.()
        current = microphone.start({ maxDurationMs, stopOnSilenceMs: null })
      } catch (err) {
        if (claim === mine) cancel()
        throw err
      }
      session = current
      current.on('level', (r) => {
        if (session === current) for (const l of levelListeners) l(r)
      })
      current.on('autostop', (reason) => {
        // The captured audio waits for stop(); the window is told so it can ask for it.
        if (session === current && reason === 'max-length') emitStopped({ reason: 'max-length' })
      })
      current.on('error', (err) => {
        // The session stays: stop() then rejects with this same error, and clears it.
        if (session === current) emitStopped({ reason: 'error', error: toUserError(err) })
      })
      return { maxDurationMs }
    },

    async stop() {
      const current = session
      if (!current) throw new NoSampleRecordingError()
      let recording: Recording
      try {
        recording = await current.stop()
      } finally {
        if (session === current) {
          session = undefined
          claim?.release()
          claim = undefined
        }
      }
      if (recording.pcm.length === 0) throw new EmptySampleRecordingError()
      return deps.check(encodeWav(recording.pcm, recording.sampleRate, 1))
    },

    cancel,

    on(e: 'level' | 'stopped', l: ((r: LevelReading) => void) | ((s: SampleRecordingStopped) => void)) {
      const set = (e === 'level' ? levelListeners : stoppedListeners) as Set<typeof l>
      set.add(l)
      return () => {
        set.delete(l)
      }
    }
  } as SampleRecorder
}
