/**
 * Dictation: hold the key (or tap it on and off), speak, and the words appear where the cursor is.
 *
 *   key down ──> the open microphone's stream (with the audio from just before the key), or a new
 *                low-latency recording
 *   key up   ──> the focused window and the clipboard are looked at while
 *                the recording (MP3, encoded while it was made; or WAV with its silence trimmed
 *                when lossless is chosen) goes to mimo-v2.5 with the dictation prompt
 *            ──> text ──> clipboard + paste keystroke (text-inserter.ts) ──> clipboard given back
 *
 * Nothing is spoken. Each dictation is reported (`done`) and handed to `keep` (the history).
 */
import type { LevelReading } from '../../shared/assistant'
import type { UserError } from '../../shared/errors'
import type { Dictation, DictationState } from '../../shared/modes'
import type { Settings } from '../../shared/settings'
import type { ChatClient } from '../assistant/synthesizer'
import { microphoneAllowedError, noSpeechError } from '../assistant/errors'
import { levelReading, trimSilence, VoiceActivityDetector } from '../audio/level'
import type { Microphone, MicrophoneClaim } from '../audio/microphone'
import { concatFrames } from '../audio/recorder'
import { fileForUpload, startUploadEncoding, type UploadEncoder } from '../audio/upload-encoding'
import { isAbortError } from '../mimo/errors'
import type { ListeningRecorder, ListeningSession } from '../modes/conversation-mode'
import { Listeners } from '../listeners'
import { toUserError } from '../user-error'
import { dictatedText, dictationRequest } from './dictation-request'
import type { ReadyMicrophone, TakenStream } from './ready-microphone'
import type { InsertPlan, TextInserter } from './text-inserter'

export interface DictationDeps {
  client: Pick<ChatClient, 'complete'>
  /** A low-latency recorder (used when the open microphone is not running). */
  recorder: ListeningRecorder
  microphone: Microphone
  settings: () => Settings
  /** Puts the text where the cursor is; absent, the text is only reported (the command's plain `dictate`). */
  inserter?: TextInserter
  readyMicrophone?: ReadyMicrophone
  /** Each finished dictation: the history keeps it, where there is one. */
  keep?: (d: Dictation) => void
  /** Milliseconds, monotonic. */
  clock?: () => number
}

export interface DictationEvents {
  state: DictationState
  level: LevelReading
  done: Dictation
}

const SAMPLE_RATE = 16000
/** Let go mid-word: the frame that arrives next holds the word's end. Waited for at most this long. */
const TAIL_WAIT_MS = 120
/** ...and only when speech was heard this recently (otherwise the recording is already complete). */
const TAIL_NEEDED_WITHIN_MS = 250

/** One dictation in progress. */
interface Take {
  id: string
  startedAt: string
  claim: MicrophoneClaim
  frames: Int16Array[]
  /** The upload, encoded as the audio arrives (compact); lossless builds its WAV at the end. */
  encoder: UploadEncoder
  vad: VoiceActivityDetector
  stream?: TakenStream
  session?: ListeningSession
  /** Resolves the wait for the frame after the key's release. */
  onNextFrame?: () => void
  controller: AbortController
  over: boolean
}

export class DictationService {
  readonly #d: DictationDeps
  readonly #clock: () => number
  #state: DictationState = { phase: 'idle' }
  #take: Take | undefined
  #counter = 0
  /** Clipboards being put back after a paste (the command waits for them before it exits). */
  readonly #restoring = new Set<Promise<unknown>>()
  readonly #listeners = new Listeners<DictationEvents>()

  constructor(deps: DictationDeps) {
    this.#d = deps
    this.#clock = deps.clock ?? (() => performance.now())
  }

  state(): DictationState {
    return { ...this.#state }
  }

  /**
   * Key down: recording starts now (the open microphone already holds the moment before).
   * `stopOnSilenceMs`: end by itself after this much quiet following speech (the command, with no key to let go).
   */
  press(o: { stopOnSilenceMs?: number | null } = {}): DictationState {
    if (this.#take && !this.#take.over && this.#state.phase === 'recording') return this.state()
    const id = this.#newId()
    const startedAt = new Date().toISOString()
    const onTaken = (): void => this.#cancelRecording()
    const claim = this.#d.microphone.claimIfAllowed('dictation', onTaken)
    if (!claim) {
      // The system asks first (macOS): the press that asked does not record.
      this.#d.microphone.claim('dictation', onTaken).then(
        (asked) => {
          asked.release()
          this.#report(failed(id, startedAt, toUserError(microphoneAllowedError())))
        },
        (err: unknown) => this.#report(failed(id, startedAt, toUserError(err)))
      )
      return this.state()
    }
    const take: Take = {
      id,
      startedAt,
      claim,
      frames: [],
      encoder: startUploadEncoding(this.#d.settings().uploadFormat, SAMPLE_RATE),
      vad: new VoiceActivityDetector({ sampleRate: SAMPLE_RATE }),
      controller: new AbortController(),
      over: false
    }
    this.#take = take
    const onFrame = (frame: Int16Array): void => this.#onFrame(take, frame)
    take.stream = this.#d.readyMicrophone?.take(onFrame)
    if (take.stream) {
      for (const f of take.stream.preRoll) this.#onFrame(take, f)
    } else {
      try {
        const settings = this.#d.settings()
        const session = this.#d.recorder.start({ maxDurationMs: settings.maxRecordingSec * 1000, stopOnSilenceMs: o.stopOnSilenceMs ?? null, keepAudio: false })
        take.session = session
        session.on('frame', onFrame)
        session.on('error', (err) => this.#fail(take, toUserError(err)))
        session.on('autostop', () => void this.#finish(take))
      } catch (err) {
        this.#fail(take, toUserError(err))
        return this.state()
      }
    }
    this.#setPhase('recording')
    return this.state()
  }

  /** Key up (after a hold), or the second tap: the words go where the cursor is. */
  release(): DictationState {
    const take = this.#take
    if (take && !take.over && this.#state.phase === 'recording') void this.#finish(take)
    return this.state()
  }

  toggle(): DictationState {
    return this.#state.phase === 'recording' ? this.release() : this.press()
  }

  /** Drops the dictation in progress: nothing is inserted. */
  cancel(): void {
    const take = this.#take
    if (!take) return
    // Recording: dropped, nothing sent. Transcribing: the request is abandoned, nothing inserted.
    take.controller.abort()
    if (!take.over) this.#cancelRecording()
  }

  /**
   * A recording given as a file (the command's --audio): transcribed with the dictation prompt (a
   * compressed file as it is, a WAV in the upload format), and inserted when this service has an inserter.
   */
  async dictateAudio(file: Uint8Array, o: { insert?: boolean; signal?: AbortSignal } = {}): Promise<Dictation> {
    const t0 = this.#clock()
    const id = this.#newId()
    const startedAt = new Date().toISOString()
    const plan = o.insert ? this.#d.inserter?.plan() : undefined
    plan?.catch(() => undefined)
    const signal = o.signal ?? new AbortController().signal
    let d: Dictation
    try {
      const audio = await fileForUpload(file, this.#d.settings().uploadFormat)
      d = await this.#transcribeAndInsert({ id, startedAt, audio, durationMs: 0, t0, plan, signal })
    } catch (err) {
      d = failed(id, startedAt, toUserError(err))
    }
    this.#report(d)
    return d
  }

  /** Resolves once every clipboard a paste borrowed has been put back. */
  async settled(): Promise<void> {
    while (this.#restoring.size) await Promise.allSettled([...this.#restoring])
  }

  on<E extends keyof DictationEvents>(e: E, l: (v: DictationEvents[E]) => void): () => void {
    return this.#listeners.on(e, l)
  }

  dispose(): void {
    this.cancel()
  }

  #onFrame(take: Take, frame: Int16Array): void {
    if (take.over) return
    take.frames.push(frame)
    take.encoder.push(frame)
    const v = take.vad.push(frame)
    take.onNextFrame?.()
    if (this.#take === take && this.#state.phase === 'recording') {
      this.#listeners.fire('level', levelReading(v, v.speech, (take.frames.length * frame.length * 1000) / SAMPLE_RATE))
    }
  }

  /** Stops listening for this take: the open microphone goes back to keeping its pre-roll. */
  #stopListening(take: Take): void {
    take.stream?.release()
    try {
      take.session?.cancel()
    } catch {
      // the recorder is going away anyway
    }
    take.claim.release()
  }

  async #finish(take: Take): Promise<void> {
    if (take.over) return
    take.over = true
    const t0 = this.#clock()
    // Work out where to put the text while the audio goes up.
    const plan = this.#d.inserter?.plan()
    plan?.catch(() => undefined)
    this.#setPhase('transcribing', take)
    // Let go mid-word: the next frame holds the end of it.
    if (take.vad.silenceMs < TAIL_NEEDED_WITHIN_MS) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, TAIL_WAIT_MS)
        take.onNextFrame = () => {
          clearTimeout(timer)
          resolve()
        }
      })
    }
    take.onNextFrame = undefined
    this.#stopListening(take)
    const pcm = concatFrames(take.frames)
    const durationMs = Math.round((pcm.length * 1000) / SAMPLE_RATE)
    const trimmed = trimSilence(pcm, SAMPLE_RATE, { marginMs: 250 })
    let d: Dictation
    if (!take.vad.heardSpeech || trimmed.speechMs === 0) {
      take.encoder.cancel()
      const e = noSpeechError()
      d = { id: take.id, startedAt: take.startedAt, text: '', insert: 'none', notice: e.message, timings: {}, durationMs }
    } else {
      // MP3 is ready at the release (its silence costs little on the line); a WAV goes trimmed.
      const lossless = this.#d.settings().uploadFormat === 'lossless'
      const audio = await take.encoder.finish({ pcm: lossless ? trimmed.pcm : pcm, sampleRate: SAMPLE_RATE })
      d = await this.#transcribeAndInsert({ id: take.id, startedAt: take.startedAt, audio, durationMs, t0, plan, signal: take.controller.signal, take })
    }
    if (this.#take === take) this.#take = undefined
    this.#report(d)
    if (!this.#take) this.#setPhase('idle')
  }

  async #transcribeAndInsert(o: {
    id: string
    startedAt: string
    audio: Uint8Array
    durationMs: number
    t0: number
    plan: Promise<InsertPlan> | undefined
    signal: AbortSignal
    take?: Take
  }): Promise<Dictation> {
    const since = (): number => Math.max(0, Math.round(this.#clock() - o.t0))
    const base = { id: o.id, startedAt: o.startedAt, durationMs: o.durationMs }
    const timings: Dictation['timings'] = { recorded: since() }
    let text: string
    try {
      const completion = await this.#d.client.complete(dictationRequest(this.#d.settings(), o.audio), { signal: o.signal })
      text = dictatedText(completion)
      timings.transcribed = since()
    } catch (err) {
      if (isAbortError(err) && o.signal.aborted) return { ...base, text: '', insert: 'none', notice: 'Dictation cancelled.', timings }
      return { ...base, text: '', insert: 'none', error: toUserError(err), timings }
    }
    if (!text) return { ...base, text: '', insert: 'none', notice: 'Nothing was said.', timings }
    const inserter = this.#d.inserter
    if (!inserter || !o.plan) return { ...base, text, insert: 'none', timings }
    this.#setPhase('inserting', o.take)
    try {
      const result = await inserter.insert(text, o.plan)
      timings.inserted = since()
      const restoring = result.restored.finally(() => this.#restoring.delete(restoring))
      this.#restoring.add(restoring)
      return { ...base, text, insert: result.insert, ...(result.via ? { via: result.via } : {}), ...(result.notice ? { notice: result.notice } : {}), timings }
    } catch (err) {
      // Not even the clipboard could take it: the text is still reported (the window shows it).
      const error: UserError = toUserError(err)
      return { ...base, text, insert: 'none', error, timings }
    }
  }

  #cancelRecording(): void {
    const take = this.#take
    if (!take || take.over) return
    this.#drop(take)
    this.#setPhase('idle')
  }

  #fail(take: Take, error: UserError): void {
    if (take.over) return
    this.#drop(take)
    this.#report(failed(take.id, take.startedAt, error))
    this.#setPhase('idle')
  }

  /** Ends a take that is still recording: nothing of it is sent. */
  #drop(take: Take): void {
    take.over = true
    this.#stopListening(take)
    take.encoder.cancel()
    if (this.#take === take) this.#take = undefined
  }

  #newId(): string {
    return `dictation-${Date.now().toString(36)}-${(++this.#counter).toString(36)}`
  }

  #report(d: Dictation): void {
    this.#listeners.fire('done', d)
    try {
      if (d.text) this.#d.keep?.(d)
    } catch {
      // keeping it is a convenience: the text was delivered
    }
  }

  /** `take`: the phase is that take's, unless a newer dictation has started meanwhile. */
  #setPhase(phase: DictationState['phase'], take?: Take): void {
    if (take && this.#take !== undefined && this.#take !== take) return
    if (this.#state.phase === phase) return
    this.#state = { phase }
    this.#listeners.fire('state', this.state())
  }

}

/** A dictation that ended before any text: what went wrong. */
function failed(id: string, startedAt: string, error: UserError): Dictation {
  return { id, startedAt, text: '', insert: 'none', error, timings: {}, durationMs: 0 }
}
