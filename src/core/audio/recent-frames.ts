/**
 * The last stretch of audio, kept as the recorder's frames: what came just before a key was pressed
 * or a word was recognised as speech. The oldest frames go once the rest still covers `keepMs`.
 */
export class RecentFrames {
  #frames: Int16Array[] = []
  #ms = 0

  constructor(
    private readonly keepMs: number,
    private readonly sampleRate: number
  ) {}

  /** How much audio is kept, in milliseconds. */
  get ms(): number {
    return this.#ms
  }

  push(frame: Int16Array): void {
    this.#frames.push(frame)
    this.#ms += this.#msOf(frame)
    while (this.#frames.length > 1 && this.#ms - this.#msOf(this.#frames[0]) >= this.keepMs) {
      this.#ms -= this.#msOf(this.#frames[0])
      this.#frames.shift()
    }
  }

  /** Hands the frames over, oldest first, and starts again empty. */
  take(): Int16Array[] {
    const frames = this.#frames
    this.#frames = []
    this.#ms = 0
    return frames
  }

  /** Drops what is kept. */
  clear(): void {
    this.take()
  }

  #msOf(frame: Int16Array): number {
    return (frame.length * 1000) / this.sampleRate
  }
}
