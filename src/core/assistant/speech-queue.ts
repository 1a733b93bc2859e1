/**
 * Speaks sentences in order through one player: the next sentences are synthesised while the
 * current one plays, and their audio is written to the sink strictly in sentence order, whatever
 * order the synthesis requests finish in.
 *
 * The queue keeps a model of the player's playhead (the sink plays in real time from the first byte
 * written), so it can say how much of the reply was actually heard when speech is cut off, and
 * when the player would have run dry between sentences.
 */
import { toSpeechText } from './markdown-to-speech'
import { SampleAligner } from '../audio/sample-aligner'

/** What the queue needs of a player (the audio module's PcmSink satisfies it). 24 kHz mono PCM16LE. */
export interface SpeechSink {
  write(pcm: Buffer): void
  /** Resolves when everything written has been played. */
  end(): Promise<void>
  /** Silence now. */
  stop(): void
  on(e: 'error', l: (err: Error) => void): unknown
}

/** Synthesises one sentence: PCM16LE mono 24 kHz chunks, as they arrive. */
export type Synthesize = (text: string, signal: AbortSignal) => AsyncIterable<Buffer>

export type SpeechEvent =
  | { type: 'tts-request'; index: number; text: string; speculative: boolean; at: number }
  | { type: 'write'; index: number; bytes: number; at: number }
  | { type: 'sentence-start'; index: number; text: string; at: number }
  | { type: 'underrun'; index: number; gapMs: number; at: number }

export interface SpeechQueueOptions {
  synthesize: Synthesize
  sink: SpeechSink | Promise<SpeechSink>
  /** Sentences synthesised ahead of the one playing. */
  prefetch?: number
  /**
   * The sink plays in real time (a speaker): prefetch counts from the sentence being heard. False for
   * a file or a pipe: audio is written as fast as it is made.
   */
  realtime?: boolean
  clock?: () => number
  onEvent?: (e: SpeechEvent) => void
}

/** A sentence as far as it was heard. */
export interface HeardSentence {
  text: string
  /** 0..1 of its audio played. */
  fraction: number
}

export interface SpeechResult {
  /** Ended by stop() rather than by playing everything. */
  stopped: boolean
  /** The reply text as heard: whole sentences, and the words of a sentence cut off part-way. */
  spokenText: string
  heard: HeardSentence[]
  bytesWritten: number
}

export const BYTES_PER_SECOND = 24_000 * 2

type ItemState = 'waiting' | 'synthesising' | 'done'

interface Item {
  text: string
  speech: string
  state: ItemState
  chunks: Buffer[]
  aligner: SampleAligner
  controller: AbortController
  /** Byte offsets in the sink: set once writing starts / ends. */
  startByte?: number
  endByte?: number
  receivedBytes: number
}

/** Cuts `text` to about `fraction` of its words (CJK: characters) and marks the cut. */
export function truncateToFraction(text: string, fraction: number): string {
  if (fraction >= 1) return text
  const units = text.match(/[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af][\s\p{P}]*|[^\s\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]+\s*/gu) ?? []
  const keep = Math.ceil(units.length * Math.max(0, fraction))
  if (keep <= 0) return ''
  return units.slice(0, keep).join('').trimEnd().replace(/[\s,;:，、；：]+$/u, '') + '…'
}

/** About how long a sentence takes to say, for a sentence whose audio has not all arrived. */
function estimateSpeechMs(text: string): number {
  const cjk = (text.match(/[\u3400-\u9fff\uf900-\ufaff]/g) ?? []).length
  const latinChars = text.length - cjk
  return cjk * 220 + latinChars * 65
}

export class SpeechQueue {
  private readonly synthesize: Synthesize
  private readonly prefetch: number
  private readonly realtime: boolean
  private readonly clock: () => number
  private readonly onEvent: (e: SpeechEvent) => void
  private readonly items: Item[] = []
  private speculative: Item | null = null
  private sink: SpeechSink | null = null
  private writeIndex = 0
  private ended = false
  private finished = false
  private stopped = false
  private written = 0
  /** When the audio written so far will have finished playing (clock ms); 0 before the first write. */
  private playEnd = 0
  private timer: ReturnType<typeof setTimeout> | null = null
  private resolveDone!: (r: SpeechResult) => void
  private rejectDone!: (e: unknown) => void
  /** Settles when everything was played (or stop() was called); rejects on a synthesis or player error. */
  readonly done: Promise<SpeechResult>

  constructor(options: SpeechQueueOptions) {
    this.synthesize = options.synthesize
    this.prefetch = Math.max(0, options.prefetch ?? 2)
    this.realtime = options.realtime ?? true
    this.clock = options.clock ?? (() => performance.now())
    this.onEvent = options.onEvent ?? (() => {})
    this.done = new Promise<SpeechResult>((resolve, reject) => {
      this.resolveDone = resolve
      this.rejectDone = reject
    })
    // The caller may never await `done` (a stopped turn): never let it become an unhandled rejection.
    this.done.catch(() => {})
    Promise.resolve(options.sink).then(
      (sink) => {
        if (this.stopped || this.finished) {
          sink.stop()
          return
        }
        this.sink = sink
        sink.on('error', (err) => this.fail(err))
        this.pump()
      },
      (err: unknown) => this.fail(err)
    )
  }

  /** A sentence to speak after the ones already pushed. */
  push(text: string): void {
    if (this.ended || this.finished) return
    const spec = this.speculative
    this.speculative = null
    if (spec && spec.text === text) {
      this.items.push(spec)
    } else {
      if (spec) spec.controller.abort()
      this.items.push(this.newItem(text))
    }
    this.schedule()
    this.pump()
  }

  /**
   * A sentence that will probably come next (the text so far ends like a sentence): start on it
   * early, while nothing else is waiting. push() of the same text adopts the request; anything else,
   * or speculate(null), drops it.
   */
  speculate(text: string | null): void {
    if (this.finished || this.ended) return
    if (this.speculative && this.speculative.text === text) return
    if (this.speculative) {
      this.speculative.controller.abort()
      this.speculative = null
    }
    if (text === null || this.writeIndex < this.items.length) return
    if (this.items.length > this.playingIndex() + this.prefetch) return
    const item = this.newItem(text)
    this.speculative = item
    this.start(item, this.items.length, true)
  }

  /** No more sentences: `done` settles once everything pushed has been played. */
  end(): Promise<SpeechResult> {
    if (this.speculative) {
      this.speculative.controller.abort()
      this.speculative = null
    }
    this.ended = true
    this.pump()
    return this.done
  }

  /** Aborts every request and silences the player at once. */
  stop(): SpeechResult {
    const result = this.result(true)
    if (this.finished) return result
    this.stopped = true
    this.finish()
    this.sink?.stop()
    this.resolveDone(result)
    return result
  }

  /** How much of each sentence has been heard by now. */
  heard(): HeardSentence[] {
    const played = this.playedBytes()
    const out: HeardSentence[] = []
    for (const item of this.items) {
      if (item.startByte === undefined || played <= item.startByte) break
      const itemDone = item.state === 'done' && item.endByte !== undefined
      const total = itemDone ? item.endByte! - item.startByte : Math.max(item.receivedBytes, (estimateSpeechMs(item.speech) * BYTES_PER_SECOND) / 1000)
      const fraction = total <= 0 ? 1 : Math.min(1, (played - item.startByte) / total)
      out.push({ text: item.text, fraction: itemDone && played >= item.endByte! ? 1 : Math.min(fraction, 0.99) })
    }
    return out
  }

  /** Sentences pushed so far (the next push gets this index in speech events). */
  get length(): number {
    return this.items.length
  }

  get bytesWritten(): number {
    return this.written
  }

  private result(stopped: boolean): SpeechResult {
    const heard = this.heard()
    const spokenText = heard
      .map((h) => (h.fraction >= 1 ? h.text : truncateToFraction(h.text, h.fraction)))
      .filter(Boolean)
      .join(' ')
    return { stopped, spokenText, heard, bytesWritten: this.written }
  }

  private newItem(text: string): Item {
    return { text, speech: toSpeechText(text), state: 'waiting', chunks: [], aligner: new SampleAligner(), controller: new AbortController(), receivedBytes: 0 }
  }

  /** Bytes the player has played by now, by the playhead model. */
  private playedBytes(): number {
    if (!this.realtime) return this.written
    const aheadMs = Math.max(0, this.playEnd - this.clock())
    return Math.max(0, this.written - Math.round((aheadMs * BYTES_PER_SECOND) / 1000))
  }

  /** The sentence being heard now (or the next to be written, once everything written was heard). */
  private playingIndex(): number {
    if (!this.realtime) return this.writeIndex
    const played = this.playedBytes()
    for (let i = 0; i < this.writeIndex; i++) {
      const item = this.items[i]
      if (item.endByte === undefined || item.endByte > played) return i
    }
    return this.writeIndex
  }

  /** Starts synthesis of every sentence within the prefetch window; wakes up when the window moves. */
  private schedule(): void {
    if (this.finished) return
    const limit = this.playingIndex() + this.prefetch
    for (let i = 0; i < this.items.length && i <= limit; i++) {
      if (this.items[i].state === 'waiting') this.start(this.items[i], i, false)
    }
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const blocked = this.items.findIndex((it) => it.state === 'waiting')
    if (blocked !== -1 && this.realtime) {
      const playing = this.items[this.playingIndex()]
      if (playing?.endByte !== undefined) {
        const ms = this.playEnd - ((this.written - playing.endByte) * 1000) / BYTES_PER_SECOND - this.clock()
        this.timer = setTimeout(() => this.schedule(), Math.max(1, Math.ceil(ms)))
      }
    }
  }

  private start(item: Item, index: number, speculative: boolean): void {
    item.state = 'synthesising'
    if (!item.speech) {
      item.state = 'done'
      this.pump()
      return
    }
    this.onEvent({ type: 'tts-request', index, text: item.speech, speculative, at: this.clock() })
    void this.run(item)
  }

  private async run(item: Item): Promise<void> {
    try {
      for await (const chunk of this.synthesize(item.speech, item.controller.signal)) {
        if (item.controller.signal.aborted) return
        const data = item.aligner.align(chunk)
        if (!data.length) continue
        item.receivedBytes += data.length
        item.chunks.push(data)
        this.pump()
      }
      if (item.controller.signal.aborted) return
      item.state = 'done'
      this.pump()
    } catch (err) {
      if (item.controller.signal.aborted) return
      this.fail(err)
    }
  }

  /** Writes whatever may be written, in sentence order. */
  private pump(): void {
    if (this.finished || !this.sink) return
    let advanced = false
    while (this.writeIndex < this.items.length) {
      const index = this.writeIndex
      const item = this.items[index]
      if (item.chunks.length) {
        if (item.startByte === undefined) {
          item.startByte = this.written
          this.onEvent({ type: 'sentence-start', index, text: item.text, at: this.clock() })
        }
        for (const chunk of item.chunks.splice(0)) this.write(index, chunk)
      }
      if (item.state !== 'done') break
      item.startByte ??= this.written
      item.endByte = this.written
      this.writeIndex++
      advanced = true
    }
    if (advanced) this.schedule()
    if (this.ended && this.writeIndex >= this.items.length && !this.speculative) void this.drain()
  }

  private write(index: number, chunk: Buffer): void {
    const now = this.clock()
    if (this.playEnd > 0 && now > this.playEnd) {
      this.onEvent({ type: 'underrun', index, gapMs: now - this.playEnd, at: now })
    }
    const startAt = Math.max(this.playEnd, now)
    this.playEnd = startAt + (chunk.length * 1000) / BYTES_PER_SECOND
    this.written += chunk.length
    this.sink!.write(chunk)
    this.onEvent({ type: 'write', index, bytes: chunk.length, at: now })
  }

  private draining = false
  private async drain(): Promise<void> {
    if (this.draining || !this.sink) return
    this.draining = true
    try {
      await this.sink.end()
    } catch (err) {
      this.fail(err)
      return
    }
    if (this.finished) return
    const result = this.result(false)
    this.finish()
    this.resolveDone({ ...result, heard: result.heard.map((h) => ({ ...h, fraction: 1 })), spokenText: this.items.map((i) => i.text).join(' ') })
  }

  private fail(err: unknown): void {
    if (this.finished) return
    this.finish()
    this.sink?.stop()
    this.rejectDone(err)
  }

  private finish(): void {
    this.finished = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    for (const item of this.items) if (item.state !== 'done') item.controller.abort()
    this.speculative?.controller.abort()
  }
}
