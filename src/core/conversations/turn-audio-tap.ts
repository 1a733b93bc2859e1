/**
 * Keeps a copy of a turn's audio while "keep audio" is on: the question's recording (as the recorder
 * hands it to the assistant) and the answer's speech (as it is written to the player). It wraps the
 * recorder and the player the assistant is given, so the assistant itself does not change; the turn
 * a recording or a player belongs to is the one the assistant's state names when it starts.
 */
import type { RecorderPort, RecordingSessionPort } from '../audio/recorder'
import { decodeWav, floatToPcm16, prepareForUpload, UPLOAD_SAMPLE_RATE } from '../audio/wav'
import type { AssistantState } from '../../shared/assistant'
import type { SpeechSink } from '../assistant/speech-queue'
import { pcmOfBytes } from './mp3-codec'

/** Mono PCM16 at a rate; or, for a question asked as an MP3 file, the file itself. */
export type CapturedAudio = { pcm: Int16Array; sampleRate: number } | { mp3: Uint8Array }

/** The speech player's rate. */
export const SPEECH_RATE = 24000
/** Turns whose audio is held until they are kept (older ones are dropped). */
const HELD_TURNS = 4

interface Held {
  question?: CapturedAudio
  answer: Buffer[]
}

export class TurnAudioTap {
  #turnId: string | undefined
  readonly #held = new Map<string, Held>()

  /** `enabled` is read when a recording or an answer starts. */
  constructor(private readonly enabled: () => boolean) {}

  /** Follows the assistant's state to know which turn is current. */
  follow(assistant: { on(e: 'state', l: (s: AssistantState) => void): () => void }): () => void {
    return assistant.on('state', (s) => {
      if (s.turnId) this.#turnId = s.turnId
    })
  }

  recorder(inner: RecorderPort): RecorderPort {
    return {
      ...(inner.findRecorder ? { findRecorder: () => inner.findRecorder!() } : {}),
      start: (o) => {
        const session = inner.start(o)
        const turnId = this.enabled() ? this.#turnId : undefined
        if (!turnId) return session
        const wrapped: RecordingSessionPort = {
          on: ((e: 'level' | 'autostop' | 'error', l: never) => session.on(e as 'level', l)) as RecordingSessionPort['on'],
          stop: () =>
            session.stop().then((recording) => {
              this.#entry(turnId).question = { pcm: recording.pcm, sampleRate: recording.sampleRate }
              return recording
            }),
          cancel: () => session.cancel()
        }
        return wrapped
      }
    }
  }

  sink(create: () => Promise<SpeechSink>): () => Promise<SpeechSink> {
    return async () => {
      const sink = await create()
      const turnId = this.enabled() ? this.#turnId : undefined
      if (!turnId) return sink
      const chunks = this.#entry(turnId).answer
      chunks.length = 0
      return {
        write: (pcm) => {
          chunks.push(Buffer.from(pcm))
          sink.write(pcm)
        },
        end: () => sink.end(),
        stop: () => sink.stop(),
        on: (e, l) => sink.on(e, l)
      }
    }
  }

  /** A question asked as a file (WAV or MP3). */
  questionFile(turnId: string, bytes: Uint8Array): void {
    if (!this.enabled()) return
    try {
      // What was sent: an MP3 as it is, a WAV as 16 kHz mono.
      const sent = prepareForUpload(bytes)
      if (sent.container === 'mp3') this.#entry(turnId).question = { mp3: bytes }
      else this.#entry(turnId).question = { pcm: floatToPcm16(decodeWav(sent.bytes).samples[0]), sampleRate: UPLOAD_SAMPLE_RATE }
    } catch {
      // Not audio: the turn fails, and there is nothing to keep.
    }
  }

  /** The turn's audio, handed over once. */
  take(turnId: string): { question?: CapturedAudio; answer?: CapturedAudio } {
    const held = this.#held.get(turnId)
    this.#held.delete(turnId)
    if (!held) return {}
    return {
      ...(held.question ? { question: held.question } : {}),
      ...(held.answer.length ? { answer: { pcm: pcmOfBytes(held.answer), sampleRate: SPEECH_RATE } } : {})
    }
  }

  #entry(turnId: string): Held {
    let held = this.#held.get(turnId)
    if (!held) {
      held = { answer: [] }
      this.#held.set(turnId, held)
      while (this.#held.size > HELD_TURNS) this.#held.delete(this.#held.keys().next().value as string)
    }
    return held
  }
}
