/**
 * Cuts a streamed reply into sentences for speech, as the text arrives.
 *
 * A break is only decided once the characters that decide it have arrived (one character after a
 * full stop, or the first letter of the next word after an ambiguous abbreviation), so the same text
 * gives the same sentences however it is cut into deltas. To win back the wait for that character,
 * `tentative()` says which sentence would end here if the text stopped now: the speech queue may
 * start synthesising it and drop the request if the next delta proves it wrong.
 */

export interface SentenceSplitterOptions {
  /** The first chunk may end at a comma once it holds this many words (a CJK character counts half). */
  firstChunkMinWords?: number
  /** Longer stretches without a sentence end are cut at a space or comma before this many characters. */
  maxChars?: number
}

/** Sentence ends that need no space after them. */
const CJK_TERMINATORS = new Set(['。', '！', '？', '；', '…', '｡'])
/** Sentence ends of Latin text: need a space (or the end, or a CJK character) after them. */
const LATIN_TERMINATORS = new Set(['.', '!', '?'])
/** Closing quotes and brackets that belong to the sentence before them. */
const CLOSERS = new Set(['"', "'", '”', '’', ')', ']', '）', '」', '』', '》', '〉', '】', '*', '_'])
const CJK_COMMAS = new Set(['，', '、'])

/** Never the end of a sentence: titles and "for example" forms that a name or a clause must follow. */
const ABBREVIATIONS_NEVER = new Set(
  [
    'mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'mt', 'vs', 'e.g', 'i.e', 'cf', 'fig', 'no', 'nos',
    'vol', 'pp', 'approx', 'gen', 'gov', 'sen', 'rep', 'rev', 'capt', 'col', 'lt', 'sgt', 'hon', 'ave',
    'blvd', 'dept', 'est', 'ft', 'inc', 'ltd', 'co', 'corp', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug',
    'sep', 'sept', 'oct', 'nov', 'dec', 'www'
  ].map((a) => a.toLowerCase())
)
/** Abbreviations that often end a sentence too: the next word decides (capital letter = new sentence). */
const ABBREVIATIONS_AMBIGUOUS = new Set(['etc', 'u.s', 'u.k', 'u.n', 'e.u', 'a.m', 'p.m', 'ph.d', 'b.c', 'a.d'])

const CJK_RE = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u3000-\u303f\uff00-\uffef]/
const isSpace = (c: string): boolean => /\s/.test(c)
const isCjk = (c: string): boolean => CJK_RE.test(c)

/** Words as a listener counts them: Latin words one each, CJK characters half each. */
export function countWords(text: string): number {
  let words = 0
  let cjk = 0
  for (const token of text.split(/\s+/)) {
    if (!token) continue
    let latin = false
    for (const ch of token) {
      if (isCjk(ch)) cjk++
      else if (/[\p{L}\p{N}]/u.test(ch)) latin = true
    }
    if (latin) words++
  }
  return words + cjk / 2
}

type Decision = { kind: 'break'; end: number } | { kind: 'none' } | { kind: 'wait' }

export class SentenceSplitter {
  private buffer = ''
  private emitted = 0
  private readonly firstChunkMinWords: number
  private readonly maxChars: number

  constructor(options: SentenceSplitterOptions = {}) {
    this.firstChunkMinWords = options.firstChunkMinWords ?? 4
    this.maxChars = options.maxChars ?? 200
  }

  /** Adds a delta; returns the sentences it completed (trimmed, never empty). */
  push(delta: string): string[] {
    this.buffer += delta
    return this.drain(false)
  }

  /** The stream ended: returns whatever is left as sentences. */
  flush(): string[] {
    const out = this.drain(true)
    const rest = this.buffer.trim()
    this.buffer = ''
    if (rest) {
      out.push(rest)
      this.emitted++
    }
    return out
  }

  /**
   * The sentence that would be complete if the text ended now, when it ends at a sentence mark
   * (not merely at the end of the text). Null when the buffer does not end at a likely break.
   */
  tentative(): string | null {
    if (!this.buffer.trim()) return null
    const found = this.scan(this.buffer, true, this.emitted === 0)
    if (!found) return null
    if (this.buffer.slice(found.end).trim() !== '') return null
    const sentence = this.buffer.slice(0, found.end).trim()
    return sentence || null
  }

  /** Text received but not yet returned as a sentence. */
  pending(): string {
    return this.buffer
  }

  private drain(final: boolean): string[] {
    const out: string[] = []
    for (;;) {
      const found = this.scan(this.buffer, final, this.emitted === 0 && out.length === 0)
      if (!found) break
      const sentence = this.buffer.slice(0, found.end).trim()
      this.buffer = this.buffer.slice(found.end)
      if (sentence) {
        out.push(sentence)
        this.emitted++
      }
    }
    return out
  }

  /** The first break in `text`, or null when none can be decided yet. */
  private scan(text: string, final: boolean, first: boolean): { end: number } | null {
    let lineStart = 0
    for (let i = 0; i < text.length; i++) {
      const c = text[i]
      // A fenced code block is a chunk of its own: never spoken, and never cut into pieces.
      if (c === '`' && text.startsWith('```', i) && text.slice(lineStart, i).trim() === '') {
        if (text.slice(0, i).trim()) return { end: i }
        const block = /^```[^\n]*\n[\s\S]*?\n[ \t]*```[^\n]*(\n|$)/.exec(text.slice(i))
        if (block && (block[1] === '\n' || final)) return { end: i + block[0].length }
        return final ? { end: text.length } : null
      }
      if (c === '\n') {
        // A line break ends a paragraph, a list item or a table row.
        if (text.slice(lineStart, i).trim()) return { end: i + 1 }
        lineStart = i + 1
        continue
      }
      const d = this.decide(text, i, final, first)
      if (d.kind === 'break') return { end: d.end }
      if (d.kind === 'wait') return null
      if (i + 1 >= this.maxChars) return this.forcedCut(text)
    }
    return null
  }

  /** Whether the character at `i` ends a sentence (or, in the first chunk, a clause). */
  private decide(text: string, i: number, final: boolean, first: boolean): Decision {
    const c = text[i]
    if (CJK_TERMINATORS.has(c) || LATIN_TERMINATORS.has(c)) {
      // Take the whole run of marks and closers: "?!", "...", '."', '。”'.
      let end = i + 1
      while (end < text.length && (LATIN_TERMINATORS.has(text[end]) || CJK_TERMINATORS.has(text[end]) || CLOSERS.has(text[end]))) end++
      if (end >= text.length && !final) return { kind: 'wait' }
      if (CJK_TERMINATORS.has(c)) return { kind: 'break', end }
      const next = text[end]
      // "3.14", "example.com", "Yahoo!News": a mark inside a word ends nothing.
      if (next !== undefined && !isSpace(next) && !isCjk(next)) return { kind: 'none' }
      if (c !== '.' || text.startsWith('..', i)) return { kind: 'break', end }
      return this.decidePeriod(text, i, end, final)
    }
    if (first && (c === ',' || CJK_COMMAS.has(c))) {
      if (countWords(text.slice(0, i)) < this.firstChunkMinWords) return { kind: 'none' }
      if (CJK_COMMAS.has(c)) return { kind: 'break', end: i + 1 }
      if (i + 1 >= text.length) return final ? { kind: 'break', end: i + 1 } : { kind: 'wait' }
      return isSpace(text[i + 1]) ? { kind: 'break', end: i + 1 } : { kind: 'none' } // "1,000"
    }
    return { kind: 'none' }
  }

  /** A full stop followed by a space (or the end): a sentence end unless the word before says otherwise. */
  private decidePeriod(text: string, i: number, end: number, final: boolean): Decision {
    let start = i
    while (start > 0 && !isSpace(text[start - 1]) && !isCjk(text[start - 1])) start--
    const word = text.slice(start, i).replace(/^[("'“‘[*_]+/, '')
    const lower = word.toLowerCase()
    if (ABBREVIATIONS_NEVER.has(lower)) return { kind: 'none' }
    // Initials: "J. K. Rowling".
    if (/^\p{Lu}$/u.test(word)) return { kind: 'none' }
    // A list number opening a line or a sentence: "1. Apples".
    if (/^\d+$/.test(word)) {
      const before = text.slice(0, start)
      if (before.trim() === '' || /\n[ \t]*$/.test(before)) return { kind: 'none' }
    }
    if (ABBREVIATIONS_AMBIGUOUS.has(lower) || /^(\p{L}\.)+\p{L}$/u.test(word)) {
      // The next word decides: "in the U.S. The ..." ends a sentence, "the U.S. economy" does not.
      let j = end
      while (j < text.length && isSpace(text[j])) j++
      if (j >= text.length) return final ? { kind: 'break', end } : { kind: 'wait' }
      return /[\p{Ll}\p{N}]/u.test(text[j]) ? { kind: 'none' } : { kind: 'break', end }
    }
    return { kind: 'break', end }
  }

  /** No sentence end within `maxChars`: cut at the last comma, or else the last space, before it. */
  private forcedCut(text: string): { end: number } | null {
    // Decide only once a character beyond the limit has arrived (the flush takes a short rest whole).
    if (text.length <= this.maxChars) return null
    const window = text.slice(0, this.maxChars)
    const minCut = Math.floor(this.maxChars * 0.5)
    let cut = -1
    for (const mark of [',', '，', '、', ';', ':', '：', ')', '）']) {
      const k = window.lastIndexOf(mark)
      if (k + 1 > cut && k + 1 >= minCut) cut = k + 1
    }
    if (cut === -1) {
      const k = Math.max(window.lastIndexOf(' '), window.lastIndexOf('\t'))
      if (k >= minCut) cut = k + 1
    }
    if (cut === -1) {
      // CJK without punctuation, or one very long word: cut at the limit, never inside a surrogate pair.
      cut = this.maxChars
      if (/[\ud800-\udbff]/.test(text[cut - 1] ?? '')) cut--
    }
    return { end: cut }
  }
}
