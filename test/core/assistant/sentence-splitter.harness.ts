/** Feeding the sentence splitter whole and in random deltas, and scoring it against expected sentences. */
import { SentenceSplitter, type SentenceSplitterOptions } from '../../../src/core/assistant/sentence-splitter'

/**
 * Sentence breaks only: no early break at the first chunk's comma and no cut of long stretches, the
 * two deliberate non-sentence breaks that speech adds (tested on their own).
 */
export const SENTENCES_ONLY: SentenceSplitterOptions = { firstChunkMinWords: Infinity, maxChars: Infinity }

export function splitWhole(text: string, options?: SentenceSplitterOptions): string[] {
  const s = new SentenceSplitter(options)
  return [...s.push(text), ...s.flush()]
}

/** A small seeded generator (mulberry32), so that a failing cut can be replayed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Deltas of 1 to `longest` characters, cut where `random` says (never inside a surrogate pair, as a stream never cuts). */
export function randomDeltas(text: string, random: () => number, longest = 12): string[] {
  const chars = Array.from(text)
  const out: string[] = []
  for (let k = 0; k < chars.length; ) {
    const n = 1 + Math.floor(random() * longest)
    out.push(chars.slice(k, k + n).join(''))
    k += n
  }
  return out
}

export function splitDeltas(deltas: string[], options?: SentenceSplitterOptions): string[] {
  const s = new SentenceSplitter(options)
  const out: string[] = []
  for (const d of deltas) out.push(...s.push(d))
  return [...out, ...s.flush()]
}

/** Deltas the way a tokenizer cuts text: words with their leading space, marks on their own. */
export function tokenDeltas(text: string): string[] {
  return text.match(/\s*[\p{L}\p{N}']+|\s*[^\s\p{L}\p{N}]/gu) ?? []
}

/** White space runs made one space: what speech makes of them, and how expected sentences are compared. */
export const squeeze = (s: string): string => s.replace(/\s+/g, ' ').trim()

/** Where sentences end, counted in characters other than white space (so cleaned-up expectations compare). */
export function boundaries(sentences: string[]): number[] {
  const out: number[] = []
  let n = 0
  for (const s of sentences) {
    n += s.replace(/\s+/g, '').length
    out.push(n)
  }
  out.pop() // the end of the text is no break
  return out
}

export interface Score {
  cases: number
  exact: number
  /** Breaks made / breaks made that are expected. */
  made: number
  right: number
  expected: number
  failed: Array<{ rule: number; got: string[]; want: string[] }>
}

export function score(cases: Array<{ rule: number; text: string; sentences: string[] }>, split: (text: string) => string[]): Score {
  const s: Score = { cases: 0, exact: 0, made: 0, right: 0, expected: 0, failed: [] }
  for (const c of cases) {
    const got = split(c.text).map(squeeze)
    const want = c.sentences.map(squeeze)
    s.cases++
    if (JSON.stringify(got) === JSON.stringify(want)) s.exact++
    else s.failed.push({ rule: c.rule, got, want })
    const made = boundaries(got)
    const expected = new Set(boundaries(want))
    s.made += made.length
    s.expected += expected.size
    s.right += made.filter((b) => expected.has(b)).length
  }
  return s
}

export const precision = (s: Score): number => (s.made === 0 ? 1 : s.right / s.made)
export const recall = (s: Score): number => (s.expected === 0 ? 1 : s.right / s.expected)
