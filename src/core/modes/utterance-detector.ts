/**
 * Cuts a continuous microphone stream into utterances for the hands-free conversation: speech
 * starts a turn (with a little audio from before it, so the first syllable is kept), a pause of
 * `pauseMs` ends it. While muted (an answer is playing) frames only keep the noise floor current.
 */
import { VoiceActivityDetector, type VoiceActivityOptions } from '../audio/level'
import { RecentFrames } from '../audio/recent-frames'
import { concatFrames, RECORD_SAMPLE_RATE, type Recording } from '../audio/recorder'

/** One turn's speech: a recording like push-to-talk's (16 kHz mono), in which speech was heard. */
export type Utterance = Recording & { heardSpeech: true }

export type UtteranceEvent =
  /** Speech began (an answer playing may be cut off: barge-in). */
  | { type: 'speech-start' }
  /** Speech ended with a pause (or reached the length limit): one turn's question. */
  | { type: 'utterance'; utterance: Utterance }
  /** What started like speech was too short to be any: listening goes on. */
  | { type: 'noise' }

export interface UtteranceDetectorOptions {
  /** The quiet after speech that ends a turn; read on every frame, so a settings change applies at once. */
  pauseMs: () => number
  /** Audio kept from before speech was recognised (the detector needs about 120 ms of it to decide). Default 400 ms. */
  preRollMs?: number
  /** An utterance this long is cut here. Default 60 s. */
  maxUtteranceMs?: number
  /** Less loud audio than this in an utterance is a noise (a click, a cough), not a question. Default 200 ms. */
  minSpeechMs?: number
  vad?: VoiceActivityOptions
}

export class UtteranceDetector {
  readonly sampleRate = RECORD_SAMPLE_RATE
  readonly #pauseMs: () => number
  readonly #maxMs: number
  readonly #minSpeechMs: number
  readonly #vad: VoiceActivityDetector
  readonly #before: RecentFrames
  #collected: Int16Array[] | null = null
  #collectedMs = 0
  /** Loud audio time in the utterance. */
  #speechMs = 0
  #listening = false
  /** Listening waits for a quiet frame first, so the tail of an answer's echo does not open a turn. */
  #armed = false
  #lastSpeech = false

  constructor(o: UtteranceDetectorOptions) {
    this.#pauseMs = o.pauseMs
    this.#before = new RecentFrames(o.preRollMs ?? 400, this.sampleRate)
    this.#maxMs = o.maxUtteranceMs ?? 60_000
    this.#minSpeechMs = o.minSpeechMs ?? 200
    // Two loud 50 ms frames start speech (push-to-talk's detector waits for three): barge-in is
    // promised within 300 ms of the first word, and a click too short to be speech is dropped below.
    this.#vad = new VoiceActivityDetector({ sampleRate: this.sampleRate, speechStartMs: 100, ...o.vad })
  }

  get listening(): boolean {
    return this.#listening
  }

  /** Speech is being collected now. */
  get hearing(): boolean {
    return this.#collected !== null
  }

  /** Opens the ear: the next speech starts an utterance. */
  listen(): void {
    if (this.#listening) return
    this.#listening = true
    this.#armed = !this.#lastSpeech
  }

  /** Closes the ear: frames only feed the voice-activity detector; speech being collected is dropped. */
  mute(): void {
    this.#listening = false
    this.#collected = null
    this.#collectedMs = 0
    this.#speechMs = 0
  }

  push(frame: Int16Array): UtteranceEvent[] {
    const ms = (frame.length * 1000) / this.sampleRate
    const { speech, loud } = this.#vad.push(frame)
    this.#lastSpeech = speech
    const events: UtteranceEvent[] = []
    if (!this.#listening) {
      this.#before.push(frame)
      return events
    }
    if (!this.#armed) {
      this.#armed = !speech
      this.#before.push(frame)
      return events
    }
    if (this.#collected === null) {
      if (!speech) {
        this.#before.push(frame)
        return events
      }
      // Speech: the turn starts with what came just before (the detector needs some loud frames to decide).
      this.#collectedMs = this.#before.ms + ms
      this.#collected = [...this.#before.take(), frame]
      this.#speechMs = ms
      events.push({ type: 'speech-start' })
      return events
    }
    this.#collected.push(frame)
    this.#collectedMs += ms
    if (loud) this.#speechMs += ms
    if ((!speech && this.#vad.silenceMs >= this.#pauseMs()) || this.#collectedMs >= this.#maxMs) {
      const noise = this.#speechMs < this.#minSpeechMs
      const utterance = this.#take()
      events.push(noise ? { type: 'noise' } : { type: 'utterance', utterance })
    }
    return events
  }

  #take(): Utterance {
    const frames = this.#collected ?? []
    this.#collected = null
    this.#collectedMs = 0
    this.#speechMs = 0
    const pcm = concatFrames(frames)
    return { pcm, sampleRate: RECORD_SAMPLE_RATE, durationMs: Math.round((pcm.length * 1000) / this.sampleRate), heardSpeech: true }
  }
}
