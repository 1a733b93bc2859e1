import { describe, expect, it } from 'vitest'
import { SpeechQueue, truncateToFraction, type SpeechEvent, type Synthesize } from '../../../src/core/assistant/speech-queue'
import { RecordingSink } from './recording-sink'

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** A synthesiser whose audio for a sentence is that sentence's marker byte, after a per-sentence delay. */
function markedSynth(delays: Record<string, number>, log: string[] = []): Synthesize {
  return async function* (text, signal) {
    log.push(`start:${text}`)
    const marker = Number(/#(\d+)/.exec(text)?.[1] ?? 0)
    await sleep(delays[text] ?? 0)
    if (signal.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' })
    for (let i = 0; i < 3; i++) {
      yield Buffer.alloc(480, marker) // 5 ms of audio per chunk
      await sleep(1)
    }
    log.push(`end:${text}`)
  }
}

/** The sequence of marker bytes in the order they were written, runs collapsed. */
function markerOrder(sink: RecordingSink): number[] {
  const out: number[] = []
  for (const b of sink.audio()) if (out[out.length - 1] !== b) out.push(b)
  return out
}

describe('SpeechQueue', () => {
  it('writes audio in sentence order when syntheses finish out of order', async () => {
    const sink = new RecordingSink()
    const queue = new SpeechQueue({
      synthesize: markedSynth({ 'Sentence #1.': 120, 'Sentence #2.': 10, 'Sentence #3.': 60, 'Sentence #4.': 0 }),
      sink,
      prefetch: 3,
      realtime: false
    })
    for (const n of [1, 2, 3, 4]) queue.push(`Sentence #${n}.`)
    const result = await queue.end()
    expect(markerOrder(sink)).toEqual([1, 2, 3, 4])
    expect(result.stopped).toBe(false)
    expect(result.spokenText).toBe('Sentence #1. Sentence #2. Sentence #3. Sentence #4.')
    expect(sink.bytesWritten).toBe(4 * 3 * 480)
    expect(sink.endedAt).not.toBeNull()
  })

  it('synthesises ahead only within the prefetch window of the sentence being heard', async () => {
    const log: string[] = []
    const sink = new RecordingSink({ realtime: true })
    // Each sentence is 15 ms of audio; synthesis is instant. With prefetch 1, sentence n+2 must not
    // start before sentence n has been heard.
    const starts: Array<{ index: number; at: number }> = []
    const queue = new SpeechQueue({
      synthesize: markedSynth({}, log),
      sink,
      prefetch: 1,
      realtime: true,
      onEvent: (e: SpeechEvent) => {
        if (e.type === 'tts-request') starts.push({ index: e.index, at: e.at })
      }
    })
    for (const n of [1, 2, 3, 4]) queue.push(`Sentence #${n}.`)
    await queue.end()
    expect(markerOrder(sink)).toEqual([1, 2, 3, 4])
    expect(starts.map((s) => s.index)).toEqual([0, 1, 2, 3])
    // Sentence 3 (index 2) waited for sentence 1 to play out: at least ~15 ms after the first write.
    const firstWrite = sink.writes[0].at
    expect(starts[2].at - firstWrite).toBeGreaterThanOrEqual(10)
  })

  it('stop() aborts every request, silences the sink and reports what was heard', async () => {
    const aborted: string[] = []
    const synth: Synthesize = async function* (text, signal) {
      signal.addEventListener('abort', () => aborted.push(text))
      // One second of audio in 100 ms pieces, made faster than real time; then the request stays
      // open a while (as a slow stream would), so stop() has something to abort.
      for (let i = 0; i < 10; i++) {
        yield Buffer.alloc(4800, 1)
        await sleep(5)
      }
      if (text.includes('second')) await sleep(2000)
      if (signal.aborted) return
    }
    const sink = new RecordingSink({ realtime: true })
    const queue = new SpeechQueue({ synthesize: synth, sink, prefetch: 1 })
    queue.push('One two three four five six seven eight nine ten.')
    queue.push('The second sentence is never heard.')
    await sleep(450)
    const result = queue.stop()
    // What a real-time player would have played since the first byte reached it.
    const playedShare = Math.min(1, (performance.now() - sink.writes[0].at) / 1000)
    expect(sink.stoppedAt).not.toBeNull()
    expect(aborted).toEqual(['The second sentence is never heard.'])
    expect(result.stopped).toBe(true)
    expect(result.heard).toHaveLength(1)
    expect(result.heard[0].fraction).toBeGreaterThan(playedShare - 0.1)
    expect(result.heard[0].fraction).toBeLessThanOrEqual(Math.min(0.99, playedShare + 0.01))
    expect(result.spokenText.endsWith('…')).toBe(true)
    expect(result.spokenText.startsWith('One two three')).toBe(true)
    expect(result.spokenText).not.toContain('ten')
    const after = sink.writes.length
    await sleep(150)
    expect(sink.writes.length).toBe(after)
    await expect(queue.done).resolves.toMatchObject({ stopped: true })
  })

  it('adopts a speculative synthesis when the same sentence is confirmed, and drops it otherwise', async () => {
    const log: string[] = []
    const sink = new RecordingSink()
    const requests: Array<{ text: string; speculative: boolean }> = []
    const queue = new SpeechQueue({
      synthesize: markedSynth({ 'Visit #1.': 30, 'Visit #1.5 today.': 0 }, log),
      sink,
      realtime: false,
      onEvent: (e) => {
        if (e.type === 'tts-request') requests.push({ text: e.text, speculative: e.speculative })
      }
    })
    queue.speculate('Visit #1.')
    await sleep(5)
    queue.speculate(null) // the next delta showed "1." was a decimal
    queue.push('Visit #1.5 today.')
    // Not while a sentence is still waiting to be written: speculation is for the idle player only.
    queue.speculate('Too #9 early.')
    await sleep(40)
    queue.speculate('Next #2.')
    queue.push('Next #2.')
    const result = await queue.end()
    expect(requests).toEqual([
      { text: 'Visit #1.', speculative: true },
      { text: 'Visit #1.5 today.', speculative: false },
      { text: 'Next #2.', speculative: true }
    ])
    // The dropped speculation never reached the sink; the adopted one did, once.
    expect(log).not.toContain('end:Visit #1.')
    expect(markerOrder(sink)).toEqual([1, 2])
    expect(sink.bytesWritten).toBe(2 * 3 * 480)
    expect(result.spokenText).toBe('Visit #1.5 today. Next #2.')
  })

  it('skips sentences with nothing to say and passes the speakable text to the synthesiser', async () => {
    const seen: string[] = []
    const synth: Synthesize = async function* (text) {
      seen.push(text)
      yield Buffer.alloc(100, 2)
    }
    const sink = new RecordingSink()
    const queue = new SpeechQueue({ synthesize: synth, sink, realtime: false })
    queue.push('**Hello** there 👋.')
    queue.push('```js\nx()\n```')
    queue.push('Bye.')
    await queue.end()
    expect(seen).toEqual(['Hello there.', 'Bye.'])
  })

  it('keeps whole samples when chunks arrive with odd lengths', async () => {
    const synth: Synthesize = async function* () {
      yield Buffer.from([1, 2, 3])
      yield Buffer.from([4, 5, 6, 7, 8])
    }
    const sink = new RecordingSink()
    const queue = new SpeechQueue({ synthesize: synth, sink, realtime: false })
    queue.push('Odd.')
    await queue.end()
    expect(sink.writes.every((w) => w.bytes % 2 === 0)).toBe(true)
    expect([...sink.audio()]).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
  })

  it('rejects done when synthesis fails, and stops the sink', async () => {
    const synth: Synthesize = async function* (text) {
      if (text.includes('bad')) throw new Error('TTS refused')
      yield Buffer.alloc(100)
    }
    const sink = new RecordingSink()
    const queue = new SpeechQueue({ synthesize: synth, sink, realtime: false })
    queue.push('Good.')
    queue.push('A bad one.')
    await expect(queue.end()).rejects.toThrow('TTS refused')
    expect(sink.stoppedAt).not.toBeNull()
  })

  it('rejects done when the sink cannot be created', async () => {
    const queue = new SpeechQueue({ synthesize: markedSynth({}), sink: Promise.reject(new Error('no player')), realtime: false })
    queue.push('Hello.')
    await expect(queue.end()).rejects.toThrow('no player')
  })

  it('reports an underrun when the next sentence arrives after the player ran dry', async () => {
    const underruns: number[] = []
    const sink = new RecordingSink({ realtime: true })
    const queue = new SpeechQueue({
      synthesize: markedSynth({ 'Late #2.': 80 }),
      sink,
      prefetch: 0,
      onEvent: (e) => {
        if (e.type === 'underrun') underruns.push(e.gapMs)
      }
    })
    queue.push('Early #1.')
    queue.push('Late #2.')
    await queue.end()
    expect(underruns.some((g) => g > 40)).toBe(true)
  })
})

describe('truncateToFraction', () => {
  it('keeps about that share of the words and marks the cut', () => {
    expect(truncateToFraction('one two three four five six seven eight nine ten', 0.3)).toBe('one two three…')
    expect(truncateToFraction('北京今天晴，最高气温二十五度。', 0.5)).toBe('北京今天晴，最高…')
    expect(truncateToFraction('one two', 0)).toBe('')
    expect(truncateToFraction('one two', 1)).toBe('one two')
  })
})
