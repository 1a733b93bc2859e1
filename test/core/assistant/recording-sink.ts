import { EventEmitter } from 'node:events'
import type { SpeechSink } from '../../../src/core/assistant/speech-queue'

/**
 * A player stand-in that records what was written and when, and "plays" in real time:
 * end() resolves once the audio written would have finished playing.
 */
export class RecordingSink extends EventEmitter implements SpeechSink {
  readonly writes: Array<{ at: number; bytes: number; data: Buffer }> = []
  stoppedAt: number | null = null
  endedAt: number | null = null
  bytesWritten = 0
  private playEnd = 0

  constructor(private readonly options: { realtime?: boolean } = {}) {
    super()
  }

  write(pcm: Buffer): void {
    if (this.stoppedAt !== null) throw new Error('write after stop')
    const now = performance.now()
    this.writes.push({ at: now, bytes: pcm.length, data: Buffer.from(pcm) })
    this.bytesWritten += pcm.length
    this.playEnd = Math.max(this.playEnd, now) + (pcm.length / 48_000) * 1000
  }

  async end(): Promise<void> {
    if (this.options.realtime) {
      const wait = this.playEnd - performance.now()
      if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    }
    this.endedAt = performance.now()
  }

  stop(): void {
    this.stoppedAt ??= performance.now()
  }

  setVolume(_v: number): void {}

  audio(): Buffer {
    return Buffer.concat(this.writes.map((w) => w.data))
  }
}

/**
 * A createSink that makes a RecordingSink and keeps it in `sinks`, for tests that look at every answer's
 * audio. `o.realtime` is read at each call, so a test can switch to real-time playing midway.
 */
export function recordingSinks(sinks: RecordingSink[], o: { realtime?: boolean } = {}): () => Promise<RecordingSink> {
  return async () => {
    const sink = new RecordingSink({ realtime: o.realtime })
    sinks.push(sink)
    return sink
  }
}
