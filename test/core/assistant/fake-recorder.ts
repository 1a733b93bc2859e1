import { EventEmitter } from 'node:events'
import type { LevelReading } from '../../../src/shared/assistant'
import type { RecorderPort, Recording, RecordingSessionPort } from '../../../src/core/audio/recorder'

/** A 16 kHz "voice": a vowel-like tone with syllable pulses, `ms` long. */
export function voicePcm(ms: number): Int16Array {
  const n = Math.round((ms / 1000) * 16000)
  const pcm = new Int16Array(n)
  for (let i = 0; i < n; i++) {
    const t = i / 16000
    const env = Math.sin(Math.PI * ((t % 0.25) / 0.25)) ** 2
    pcm[i] = Math.round(9000 * env * (Math.sin(2 * Math.PI * 180 * t) + 0.4 * Math.sin(2 * Math.PI * 360 * t)) / 1.4)
  }
  return pcm
}

class FakeSession extends EventEmitter implements RecordingSessionPort {
  stopped = false
  cancelled = false
  constructor(private readonly recording: Recording) {
    super()
  }
  async stop(): Promise<Recording> {
    this.stopped = true
    await new Promise((r) => setTimeout(r, 5))
    return this.recording
  }
  cancel(): void {
    this.cancelled = true
  }
  level(r: LevelReading): void {
    this.emit('level', r)
  }
  autostop(reason: 'max-length' | 'silence'): void {
    this.emit('autostop', reason)
  }
  fail(err: Error): void {
    this.emit('error', err)
  }
}

/** The microphone port: hands out the recording a test chose, and lets the test drive its events. */
export class FakeRecorder implements RecorderPort {
  sessions: FakeSession[] = []
  starts: Array<{ maxDurationMs?: number; stopOnSilenceMs?: number | null }> = []
  next: Recording = { pcm: voicePcm(1500), sampleRate: 16000, durationMs: 1500, heardSpeech: true }

  start(o: { maxDurationMs?: number; stopOnSilenceMs?: number | null } = {}): FakeSession {
    this.starts.push(o)
    const session = new FakeSession(this.next)
    this.sessions.push(session)
    return session
  }

  get last(): FakeSession {
    return this.sessions[this.sessions.length - 1]
  }
}
