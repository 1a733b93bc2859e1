import { EventEmitter } from 'node:events'
import type { ListeningRecorder, ListeningSession } from '../../../src/core/modes/conversation-mode'

const FRAME = 800 // 50 ms at 16 kHz

/** A microphone stream the test feeds: frames go out synchronously, as the recorder hands them over. */
export class FakeListening extends EventEmitter implements ListeningSession {
  cancelled = false
  cancel(): void {
    this.cancelled = true
  }
  /** Hands the audio over in 50 ms frames. */
  feed(pcm: Int16Array): void {
    for (let i = 0; i < pcm.length; i += FRAME) {
      if (this.cancelled) return
      this.emit('frame', pcm.slice(i, i + FRAME), false)
    }
  }
}

export class FakeListeningRecorder implements ListeningRecorder {
  sessions: FakeListening[] = []
  failStart: Error | null = null
  start(): FakeListening {
    if (this.failStart) throw this.failStart
    const s = new FakeListening()
    this.sessions.push(s)
    return s
  }
  get last(): FakeListening {
    return this.sessions[this.sessions.length - 1]
  }
  get open(): FakeListening[] {
    return this.sessions.filter((s) => !s.cancelled)
  }
}

export const quiet = (ms: number): Int16Array => new Int16Array(Math.round((ms / 1000) * 16000))
