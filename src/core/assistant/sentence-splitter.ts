/**
 * Cuts a streamed reply into sentences for speech, as the text arrives.
 *
 * A break is heard: the voice drops its pitch and pauses. So the splitter breaks only where a
 * careful reader would, and when it cannot tell yet, it waits: a missed break costs a little
 * latency, a false one is heard by the listener. The rules (docs/sentence-splitter.md) follow the
 * Pragmatic Segmenter's: abbreviations with and without a capital after them, initials, numbers,
 * ellipses, quotes and brackets, lists, URLs and e-mail addresses, CJK marks and title marks.
 *
 * A break is only decided once every character that decides it has arrived (the one after a full
 * stop, the next word after an abbreviation, the closing quote of a quotation), so the same text
 * gives the same sentences however it is cut into deltas. To win back the wait, `tentative()` says
 * which sentence would end here if the text stopped now: the speech queue may start synthesising it
 * and drop the request if the next delta proves it wrong.
 */
import {
  ABBREVIATIONS_AMBIGUOUS,
  ABBREVIATIONS_BEFORE_NUMBER,
  ABBREVIATIONS_NEVER,
  EXCLAMATION_NAMES,
  LEADING_APOSTROPHE_WORDS,
  SENTENCE_STARTERS,
  TITLES
} from './sentence-words'

export interface SentenceSplitterOptions {
  /** The first chunk may end at a comma once it holds this many words (a CJK character counts half). */
  firstChunkMinWords?: number
  /** Longer stretches without a sentence end are cut at a space or comma before this many characters. */
  maxChars?: number
}

/**
 * How much of the text there is: `stream` (more may come, so wait where the rest decides),
 * `final` (the text ended) or `tentative` (as if it ended, but only breaks that are likely).
 */
type Mode = 'stream' | 'final' | 'tentative'
type Verdict = 'break' | 'none' | 'wait'

/** Sentence ends of CJK text: need no space after them. "．" is the full-width full stop. */
const CJK_ENDS = new Set(['。', '！', '？', '｡', '．'])
/** Sentence ends of Latin text: need a space (or the end, or CJK) after them. */
const LATIN_ENDS = new Set(['!', '?', '‼', '⁇', '⁈', '⁉'])
/** Closing marks that belong to the sentence before them: '."', '。”', '.)', '.**'. */
const CLOSERS = new Set([')', ']', '）', '】', '〕', '》', '〉', '」', '』', '”', '’', '»', '›', '"', "'", '*', '_'])
/** Paired marks: a sentence mark between them ends no sentence ("(He is an engineer.) at", "《摔跤吧！爸爸》"). */
const PAIRS: Record<string, string> = {
  '(': ')', '[': ']', '（': '）', '【': '】', '〔': '〕', '《': '》', '〈': '〉', '「': '」', '『': '』',
  '“': '”', '‘': '’', '«': '»', '"': '"', "'": "'"
}
const CLOSE_TO_OPEN = new Map(Object.entries(PAIRS).map(([o, c]) => [c, o]))
const PAIR_MARKS = new Set([...Object.keys(PAIRS), ...CLOSE_TO_OPEN.keys()])
/** Marks that may stand before the next sentence's first word: quotes, brackets, markdown. */
const LEADING_MARKS = new Set(['(', '[', '"', "'", '“', '‘', '«', '*', '_', '`', '¿', '¡', '「', '『', '《', '（', '【', '〔', '〈'])
/** Bullets of an inline list ("• 9. The first item • 10. The second item"). */
const BULLETS = new Set(['•', '⁃', '◦', '‣', '▪', '●'])

const CJK_RE = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u3000-\u303f\uff00-\uffef]/
const isSpace = (c: string | undefined): boolean => c !== undefined && (c === ' ' || c === '\n' || ((c < ' ' || c >= '\u0080') && /\s/.test(c)))
const isCjk = (c: string | undefined): boolean => c !== undefined && c >= '\u3000' && CJK_RE.test(c)
const isUpper = (c: string | undefined): boolean => c !== undefined && /[\p{Lu}\p{Lt}]/u.test(c)
const isLower = (c: string | undefined): boolean => c !== undefined && /\p{Ll}/u.test(c)
const isLetter = (c: string | undefined): boolean => c !== undefined && /\p{L}/u.test(c)
const isDigit = (c: string | undefined): boolean => c !== undefined && /[0-9０-９]/.test(c)
/** Space inside a line (a line break is decided on its own). */
const isBlank = (c: string | undefined): boolean => c !== undefined && c !== '\n' && isSpace(c)

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

interface Open {
  ch: string
  pos: number
}

/** A list marker at the start of a chunk: "1.", "2.)", "3)", "a.", "• 9.", "⁃10.", "1.）", "•". */
interface Marker {
  bullet: string
  /** The number or letter, '' for a bare bullet. */
  value: string
  style: string
  /** Index of the marker's period, -1 when it has none. */
  dot: number
}

/** What follows a sentence mark (after its closing quotes and brackets). */
type Follow =
  | { kind: 'end' }
  | { kind: 'newline' }
  /** No space: "3.14", "example.com", "Yahoo!News", "Tuesday.Mr.", or CJK right after. */
  | { kind: 'attached'; at: number }
  /** A space, then a word (leading quotes and brackets skipped) starting at `at`. */
  | { kind: 'word'; at: number }

/** How the first word after a sentence mark starts. */
type Start = 'upper' | 'lower' | 'digit' | 'cjk' | 'other'

interface ScanOptions {
  mode: Mode
  first: boolean
  /** Ignore quotes and brackets (to find a sentence end inside a long quotation). */
  ignorePairs?: boolean
  /** No cut at maxChars (the forced cut's own search). */
  noForce?: boolean
}

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
    return this.drain('stream')
  }

  /** The stream ended: returns whatever is left as sentences. */
  flush(): string[] {
    const out = this.drain('final')
    const rest = this.buffer.trim()
    this.buffer = ''
    if (rest) {
      out.push(rest)
      this.emitted++
    }
    return out
  }

  /**
   * The sentence that would be complete if the text ended now, when it ends at a likely sentence
   * end (not merely at the end of the text, nor after an abbreviation or inside a quotation).
   * Null when the buffer does not end at a likely break.
   */
  tentative(): string | null {
    if (!this.buffer.trim()) return null
    const end = this.scan(this.buffer, { mode: 'tentative', first: this.emitted === 0 })
    if (end === null) return null
    if (this.buffer.slice(end).trim() !== '') return null
    const sentence = this.buffer.slice(0, end).trim()
    return sentence || null
  }

  /** Text received but not yet returned as a sentence. */
  pending(): string {
    return this.buffer
  }

  private drain(mode: Mode): string[] {
    const out: string[] = []
    for (;;) {
      const end = this.scan(this.buffer, { mode, first: this.emitted === 0 && out.length === 0 })
      if (end === null) break
      const sentence = this.buffer.slice(0, end).trim()
      this.buffer = this.buffer.slice(end)
      if (sentence) {
        out.push(sentence)
        this.emitted++
      }
    }
    return out
  }

  /** The end of the first sentence in `text` (a chunk's start), or null when none can be decided yet. */
  private scan(text: string, o: ScanOptions): number | null {
    const marker = listMarker(text, o.mode)
    if (marker === 'wait') return null
    const stack: Open[] = []
    let lineStart = 0
    let code = false
    /** Inside a run of marks already decided ("?!", '."'): its closers still pair, but decide nothing. */
    let skipUntil = -1
    /** Whether the chunk holds anything but white space before `i`. */
    let started = false
    for (let i = 0; i < text.length; i++) {
      if (!o.noForce && i >= this.maxChars) return this.forcedCut(text)
      if (i > 0 && !started && !isSpace(text[i - 1])) started = true
      // Letters, digits and CJK ideographs decide nothing themselves: the common case, kept fast.
      const cc = text.charCodeAt(i)
      if ((cc >= 97 && cc <= 122) || (cc >= 65 && cc <= 90) || (cc >= 48 && cc <= 57) || (cc >= 0x4e00 && cc <= 0x9fff)) {
        continue
      }
      const c = text[i]
      // A fenced code block is a chunk of its own: never spoken, and never cut into pieces.
      if (c === '`' && !code && text.startsWith('```', i) && text.slice(lineStart, i).trim() === '') {
        if (text.slice(0, i).trim()) return i
        const block = /^```[^\n]*\n[\s\S]*?\n[ \t]*```[^\n]*(\n|$)/.exec(text.slice(i))
        if (block && (block[1] === '\n' || o.mode !== 'stream')) return i + block[0].length
        return o.mode !== 'stream' ? text.length : null
      }
      if (c === '\n') {
        code = false
        if (text.slice(lineStart, i).trim()) {
          // A line break ends a paragraph, a list item or a table row, unless it is an errant one.
          const v = newlineVerdict(text, i, lineStart, o.mode)
          if (v === 'wait') return null
          if (v === 'break') return i + 1
        } else {
          lineStart = i + 1
          stack.length = 0
        }
        continue
      }
      // Inline code (`fmt.Println`, `a.b()`) ends no sentence inside it.
      if (c === '`') {
        code = !code
        continue
      }
      if (code) continue
      if (PAIR_MARKS.has(c)) {
        if (updatePairs(text, i, o.mode, stack) === 'wait') return null
      }
      if (i < skipUntil) continue
      // The next item of an inline list: "1) The first item 2) The second item".
      if (started && isBlank(c) && !isBlank(text[i + 1]) && stack.length === 0) {
        const v = itemAhead(text, i + 1, marker, o.mode)
        if (v === 'wait') return null
        if (v === 'break') return i + 1
      }
      if (c === '.' || c === '…' || LATIN_ENDS.has(c) || CJK_ENDS.has(c)) {
        const d = this.decide(text, i, marker, o.mode)
        if (d.verdict === 'wait') return null
        skipUntil = d.runEnd
        if (d.verdict === 'none') continue
        if (o.ignorePairs) return d.end
        const inside = insidePairs(text, i, d.runEnd, stack, o.mode, this.maxChars)
        if (inside === 'wait') return null
        if (inside === 'no') return d.end
        continue
      }
      if (o.first && (c === ',' || c === '，') && stack.length === 0) {
        if (countWords(text.slice(0, i)) < this.firstChunkMinWords) continue
        if (c === '，') return i + 1
        if (i + 1 >= text.length) {
          if (o.mode === 'stream') return null
          return i + 1
        }
        if (isSpace(text[i + 1])) return i + 1 // not "1,000"
      }
    }
    return null
  }

  /** Whether the sentence mark at `i` ends a sentence, where (`end`), and where its run of marks ends. */
  private decide(text: string, i: number, marker: Marker | null, mode: Mode): { verdict: Verdict; end: number; runEnd: number } {
    const c = text[i]
    if (marker && i === marker.dot) return { verdict: 'none', end: i + 1, runEnd: i + 1 }
    if (CJK_ENDS.has(c)) {
      // "３．２９": a full-width point between digits.
      if (c === '．' && isDigit(text[i - 1]) && (isDigit(text[i + 1]) || (i + 1 >= text.length && mode === 'stream'))) {
        return { verdict: i + 1 >= text.length ? 'wait' : 'none', end: i + 1, runEnd: i + 1 }
      }
      let j = i + 1
      while (j < text.length && (CJK_ENDS.has(text[j]) || LATIN_ENDS.has(text[j]) || text[j] === '.' || text[j] === '…')) j++
      const runEnd = closersEnd(text, j)
      if (runEnd >= text.length && mode === 'stream') return { verdict: 'wait', end: runEnd, runEnd }
      // "（这一步很重要。）然后再升级", "「ありがとう。」と言った": a bracket or corner quote that the
      // sentence goes on after. A closing ” ends it: “你好。”然后走了。
      if (/[)）】〕》〉」』]/.test(text.slice(j, runEnd)) && (isCjk(text[runEnd]) || isLetter(text[runEnd])) && !/[“”]/.test(text.slice(j, runEnd))) {
        return { verdict: 'none', end: runEnd, runEnd }
      }
      return { verdict: 'break', end: runEnd, runEnd }
    }
    if (LATIN_ENDS.has(c)) {
      let j = i + 1
      while (j < text.length && (LATIN_ENDS.has(text[j]) || CJK_ENDS.has(text[j]))) j++
      const runEnd = closersEnd(text, j)
      const f = follow(text, runEnd, mode)
      if (f === 'wait') return { verdict: 'wait', end: runEnd, runEnd }
      let verdict: Verdict
      if (f.kind === 'end' || f.kind === 'newline') verdict = 'break'
      else if (f.kind === 'attached') verdict = isCjk(text[f.at]) ? 'break' : noSpaceBreak(text, i, runEnd, mode) // "Yahoo!News"
      else {
        // "She works at Yahoo! in the evenings": a lower-case word goes on with the sentence,
        // and after a name with "!" ("Yahoo! Mail") a capital only when it likely starts one.
        const s = startOf(text, f.at, mode)
        if (s === 'wait') verdict = 'wait'
        else if (s === 'lower') verdict = 'none'
        else if (c === '!' && j === i + 1 && EXCLAMATION_NAMES.has(wordBefore(text, i).word.toLowerCase())) {
          verdict = s === 'upper' ? startsSentence(text, f.at, mode, false) : 'none'
        } else verdict = 'break'
      }
      return { verdict, end: runEnd, runEnd }
    }
    return this.decideDots(text, i, mode)
  }

  /** A full stop, or an ellipsis in any of its forms ("...", "…", ". . .", "word. . . ."). */
  private decideDots(text: string, i: number, mode: Mode): { verdict: Verdict; end: number; runEnd: number } {
    const g = dotGroup(text, i, mode)
    if (g === 'wait') return { verdict: 'wait', end: i + 1, runEnd: i + 1 }
    const runEnd = closersEnd(text, g.end)
    const f = follow(text, runEnd, mode)
    if (f === 'wait') return { verdict: 'wait', end: runEnd, runEnd }
    if (g.dots === 1) return { verdict: periodVerdict(text, i, runEnd, f, mode), end: runEnd, runEnd }

    // An ellipsis. Spaced and standing alone (" . . . ") it marks an omission inside a sentence;
    // after a word ("that....", "Wait...") or with a fourth dot (" . . . .") it may end one, when a
    // capital follows. "compounds. . . . The" is a full stop, then an ellipsis that opens the next.
    // "[...]", "(...)": an omission inside brackets.
    if ((text[i - 1] === '[' || text[i - 1] === '(') && (text[g.end] === ']' || text[g.end] === ')')) {
      return { verdict: 'none', end: runEnd, runEnd }
    }
    const attached = i > 0 && !isSpace(text[i - 1]) && text.slice(0, i).trim() !== ''
    let end = runEnd
    let verdict: Verdict
    if (f.kind === 'newline') verdict = 'break'
    else if (f.kind === 'end') verdict = mode === 'final' || attached ? 'break' : 'none'
    else if (f.kind === 'attached') verdict = 'none' // "mean...see", "想想……好吧"
    else if (!attached && g.dots < 4) verdict = 'none' // "the thing is . . . I didn't"
    else {
      const s = startOf(text, f.at, mode)
      verdict = s === 'wait' ? 'wait' : s === 'upper' ? 'break' : 'none'
      if (attached && g.spaced && g.dots >= 4) end = i + 1
    }
    return { verdict, end, runEnd }
  }

  /**
   * No sentence end within `maxChars`: cut at the last sentence end inside a quotation or brackets,
   * or else at the last comma, or else the last space, before it.
   */
  private forcedCut(text: string): number | null {
    // Decide only once a character beyond the limit has arrived (the flush takes a short rest whole),
    // and from those characters only, so that any cutting into deltas cuts here alike.
    if (text.length <= this.maxChars) return null
    const window = text.slice(0, this.maxChars)
    const seen = text.slice(0, this.maxChars + 1)
    const minCut = Math.floor(this.maxChars * 0.5)
    let cut = -1
    for (let at = 0; ; ) {
      const end = this.scan(seen.slice(at), { mode: 'stream', first: false, ignorePairs: true, noForce: true })
      if (end === null || at + end > window.length) break
      at += end
      if (at >= minCut) cut = at
    }
    if (cut === -1) {
      for (const mark of [',', '，', '、', ';', '；', ':', '：', ')', '）']) {
        const k = window.lastIndexOf(mark)
        if (k + 1 > cut && k + 1 >= minCut) cut = k + 1
      }
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
    return cut
  }
}

/** The end of the closing quotes and brackets (and markdown emphasis) right after a run of marks. */
function closersEnd(text: string, j: number): number {
  while (j < text.length && CLOSERS.has(text[j])) j++
  return j
}

/** The dots from `i`: "." (1), ".." / "..." / "…" / "……" (unspaced), ". . ." / ". . . ." (spaced). */
function dotGroup(text: string, i: number, mode: Mode): { dots: number; spaced: boolean; end: number } | 'wait' {
  let dots = 0
  let spaced = false
  let k = i
  for (;;) {
    if (text[k] === '.') {
      dots++
      k++
    } else if (text[k] === '…') {
      dots += 3
      k++
    } else if (text[k] === ' ' && text[k + 1] === '.' && dots > 0) {
      // ". . ." goes on only with another dot that is not a decimal point (". .5").
      if (k + 2 >= text.length) {
        if (mode === 'stream') return 'wait'
      } else if (isDigit(text[k + 2])) break
      spaced = true
      k++
    } else break
    if (k >= text.length && mode === 'stream') return 'wait'
    if (text[k] === ' ' && k + 1 >= text.length && mode === 'stream') return 'wait'
  }
  return { dots, spaced, end: k }
}

/** What comes after a sentence mark's run, from `at`. */
function follow(text: string, at: number, mode: Mode): Follow | 'wait' {
  let k = at
  let spaced = false
  while (k < text.length && isBlank(text[k])) {
    k++
    spaced = true
  }
  if (k >= text.length) return mode === 'stream' ? 'wait' : { kind: 'end' }
  if (text[k] === '\n') return { kind: 'newline' }
  if (!spaced) return { kind: 'attached', at: k }
  while (k < text.length && LEADING_MARKS.has(text[k])) k++
  if (k >= text.length) return mode === 'stream' ? 'wait' : { kind: 'word', at: k - 1 }
  return { kind: 'word', at: k }
}

/** How the word at `at` starts. A lower-case letter before a capital or digit ("iPhone", "v2") counts as a capital. */
function startOf(text: string, at: number, mode: Mode): Start | 'wait' {
  const c = text[at]
  if (isUpper(c)) return 'upper'
  if (isLower(c)) {
    if (at + 1 >= text.length) return mode === 'stream' ? 'wait' : 'lower'
    return isUpper(text[at + 1]) || isDigit(text[at + 1]) ? 'upper' : 'lower'
  }
  if (isDigit(c)) return 'digit'
  if (isCjk(c)) return 'cjk'
  return 'other'
}

/** The letters of the word at `at`, once the word is complete. */
function wordAt(text: string, at: number, mode: Mode): { word: string; after: number } | 'wait' {
  let k = at
  while (k < text.length && isLetter(text[k])) k++
  if (k >= text.length && mode === 'stream') return 'wait'
  return { word: text.slice(at, k), after: k }
}

/**
 * Whether the capitalised word at `at` starts a sentence after an abbreviation: a likely sentence
 * starter ("It", "The", "How"), or also a title where `titles` ("... at 6 P.M. Mr. Smith ...");
 * never an initial ("J. K. Rowling").
 */
function startsSentence(text: string, at: number, mode: Mode, titles: boolean): Verdict {
  const w = wordAt(text, at, mode)
  if (w === 'wait') return 'wait'
  // "J. K. Rowling": a capital and a period is an initial, even "I." or "A.".
  if (w.word.length === 1 && text[w.after] === '.') return 'none'
  if (SENTENCE_STARTERS.has(w.word)) return 'break'
  if (titles && TITLES.has(w.word) && text[w.after] === '.') return 'break'
  return 'none'
}

/** The word before the mark at `i`: back to a space, a CJK character or an opening mark; leading marks dropped. */
function wordBefore(text: string, i: number): { word: string; start: number } {
  let start = i
  while (start > 0 && !isSpace(text[start - 1]) && !isCjk(text[start - 1])) start--
  let k = start
  while (k < i && (LEADING_MARKS.has(text[k]) || text[k] === '#')) k++
  return { word: text.slice(k, i), start: k }
}

type WordKind = 'never' | 'number' | 'ambiguous' | 'time' | 'initial' | 'plain'

function kindOf(word: string): { kind: WordKind; beforeNumber: boolean } {
  const lower = word.toLowerCase()
  // "Tuesday.Mr": the part after the last inner period decides, unless the whole is an abbreviation.
  const last = lower.includes('.') ? lower.slice(lower.lastIndexOf('.') + 1) : lower
  const beforeNumber = ABBREVIATIONS_BEFORE_NUMBER.has(lower)
  if (ABBREVIATIONS_NEVER.has(lower) || (last !== lower && ABBREVIATIONS_NEVER.has(last) && /^\p{Lu}/u.test(word.slice(word.lastIndexOf('.') + 1)))) {
    return { kind: 'never', beforeNumber }
  }
  if (lower === 'a.m' || lower === 'p.m') return { kind: 'time', beforeNumber }
  if (/^(\p{L}{1,2}\.)+\p{L}{1,2}$/u.test(word)) return { kind: 'ambiguous', beforeNumber } // "U.S", "Ph.D", "E.U"
  if (/^\p{Lu}$/u.test(word)) return { kind: 'initial', beforeNumber }
  if (ABBREVIATIONS_AMBIGUOUS.has(lower)) return { kind: 'ambiguous', beforeNumber }
  return { kind: beforeNumber ? 'number' : 'plain', beforeNumber }
}

/** A single full stop at `i`, its run of closers ending at `runEnd`, followed by `f`. */
function periodVerdict(text: string, i: number, runEnd: number, f: Follow, mode: Mode): Verdict {
  const { word, start } = wordBefore(text, i)
  // "2.) The second item": a list number (unless the bracket closes one: "(see Sec. 2.) Then").
  if (text[i + 1] === ')' && /^(?:\d{1,3}|[a-z])$/.test(word)) {
    const before = text.slice(0, i)
    if (before.split('(').length <= before.split(')').length) return 'none'
  }
  const known = kindOf(word)
  const beforeNumber = known.beforeNumber
  let kind = known.kind
  // "It saves 40 ms. That is fast.": after a number, an abbreviation is a unit (but "5 a.m." a time).
  if (kind !== 'time' && kind !== 'plain' && /(?:^|\s)[\d.,]*\d\s+$/.test(text.slice(0, start))) kind = 'plain'
  if (kind === 'never') return 'none'
  if (f.kind === 'newline') return 'break'
  if (f.kind === 'end') return kind === 'plain' || mode === 'final' ? 'break' : 'none'
  if (f.kind === 'attached') {
    // "3.14", "example.com", "Jr.'s": inside a word. "too.也会": a sentence before CJK.
    if (isCjk(text[f.at])) return kind === 'plain' ? 'break' : 'none'
    return kind === 'plain' || kind === 'number' ? noSpaceBreak(text, i, runEnd, mode) : 'none'
  }
  const s = startOf(text, f.at, mode)
  if (s === 'wait') return 'wait'
  if (beforeNumber && (s === 'digit' || text[f.at] === '(' || text[f.at] === '#')) return 'none' // "p. 55"
  switch (kind) {
    case 'plain':
    case 'number':
      return s === 'lower' ? 'none' : 'break'
    case 'time': {
      // "At 5 a.m. Mr. Smith went": a time that opens the sentence is followed by the rest of it.
      if (s !== 'upper') return 'none'
      if (/^\s*(?:\p{L}+\s+)?[\d:.]+\s*$/u.test(text.slice(0, start))) return 'none'
      return startsSentence(text, f.at, mode, true)
    }
    default:
      // "the U.S. Government" against "in the U.S. How"; "Jonas E. Smith" against "you and I. Did".
      return s === 'upper' ? startsSentence(text, f.at, mode, false) : 'none'
  }
}

/**
 * A sentence mark with no space after it ("Hello world.Today is Tuesday.Mr. Smith ... 1,000.That
 * is a lot."): a break only between a plain word or number and a likely sentence starter or title
 * followed by a space, so that "fmt.Println", "React.Component", "Jane.Doe@example.com" and
 * "Yahoo!News" stay whole.
 */
function noSpaceBreak(text: string, i: number, runEnd: number, mode: Mode): Verdict {
  if (runEnd !== i + 1 || !isUpper(text[runEnd])) return 'none'
  const { word } = wordBefore(text, i)
  if (!/^(?:\p{L}*\p{Ll}\p{L}*|[\d,]*\d)$/u.test(word) || (/\p{L}/u.test(word) && word.length < 2)) return 'none'
  if (!/[\p{Ll}\d]/u.test(text[i - 1])) return 'none'
  const w = wordAt(text, runEnd, mode)
  if (w === 'wait') return 'wait'
  let after = w.after
  const title = TITLES.has(w.word)
  if (!SENTENCE_STARTERS.has(w.word) && !title) return 'none'
  if (title && text[after] === '.') after++
  else if (text[after] === ',' || text[after] === ';' || text[after] === ':') after++
  if (after >= text.length) return mode === 'stream' ? 'wait' : 'break'
  return isSpace(text[after]) ? 'break' : 'none'
}

/**
 * A line break ends the line's sentence, unless it is errant: after a space and before a lower-case
 * word ("It was a cold \nnight in the city."), in a line that is no heading, list item or table row.
 */
function newlineVerdict(text: string, i: number, lineStart: number, mode: Mode): Verdict {
  if (!isBlank(text[i - 1])) return 'break'
  if (/^\s*(?:[#>|]|[-*+•]\s|\d{1,3}[.)]\s)/.test(text.slice(lineStart, i))) return 'break'
  if (i + 1 >= text.length) return mode === 'stream' ? 'wait' : 'break'
  return isLower(text[i + 1]) || text[i + 1] === '(' ? 'none' : 'break'
}

/** Opens or closes a quotation or bracket at `i`. */
function updatePairs(text: string, i: number, mode: Mode, stack: Open[]): 'wait' | void {
  const c = text[i]
  const prev = text[i - 1]
  const next = text[i + 1]
  if (next === undefined && mode === 'stream' && (c === '"' || c === "'" || c === '’')) return 'wait'
  const isOpen = stack.some((o) => o.ch === (CLOSE_TO_OPEN.get(c) ?? c))
  if (c === '"') {
    if (isOpen) closePair(stack, '"')
    else if (next !== undefined && !isSpace(next) && (prev === undefined || isSpace(prev) || PAIRS[prev] !== undefined || isCjk(prev) || /[:\-—–/]/.test(prev))) {
      stack.push({ ch: c, pos: i })
    }
    return
  }
  if (c === "'" || c === '’') {
    // An apostrophe ("don't", "students'", "'90s") opens and closes nothing.
    const opener = c === "'" ? "'" : '‘'
    if (stack.some((o) => o.ch === opener) && prev !== undefined && !isSpace(prev) && !(isLetter(next) || isDigit(next))) {
      closePair(stack, opener)
    } else if (
      c === "'" &&
      (prev === undefined || isSpace(prev) || PAIRS[prev] !== undefined) &&
      (isLetter(next) || isDigit(next)) &&
      !LEADING_APOSTROPHE_WORDS.test(text.slice(i, i + 6))
    ) {
      stack.push({ ch: c, pos: i })
    }
    return
  }
  if (PAIRS[c] !== undefined) {
    // ":(" is a face, not a bracket.
    if (c === '(' && (prev === ':' || prev === ';')) return
    stack.push({ ch: c, pos: i })
    return
  }
  closePair(stack, CLOSE_TO_OPEN.get(c)!)
}

function closePair(stack: Open[], opener: string): void {
  for (let k = stack.length - 1; k >= 0; k--) {
    if (stack[k].ch === opener) {
      stack.length = k
      return
    }
  }
}

/**
 * Whether the sentence mark at `i` (its run ending at `runEnd`) stands inside a quotation or
 * brackets that close later on the same line: then it ends no sentence. A mark that does not close
 * within `reach` (maxChars) of where it opened, or before the line ends, was no pair.
 */
function insidePairs(text: string, i: number, runEnd: number, stack: Open[], mode: Mode, reach: number): 'yes' | 'no' | 'wait' {
  if (stack.length === 0) return 'no'
  // The run's own closers ('."', '。”', '.)') close their pairs first.
  const open = stack.slice()
  for (let k = i + 1; k < runEnd; k++) {
    const o = CLOSE_TO_OPEN.get(text[k])
    if (o !== undefined && open.some((p) => p.ch === o)) closePair(open, o)
  }
  let waiting = false
  for (const p of open) {
    const v = closesLater(text, p, runEnd, mode, reach)
    if (v === 'yes') return 'yes'
    if (v === 'wait') waiting = true
  }
  return waiting ? 'wait' : 'no'
}

/** Whether the quotation or bracket `p` closes after `from`, within `reach` characters of its start and on its line. */
function closesLater(text: string, p: Open, from: number, mode: Mode, reach: number): 'yes' | 'no' | 'wait' {
  const close = PAIRS[p.ch]
  let depth = 0
  for (let k = from; k < text.length; k++) {
    if (k - p.pos > reach) return 'no'
    const c = text[k]
    if (c === '\n') return 'no'
    if (c === p.ch && c !== close) depth++
    else if (c === close) {
      if (close === "'" || close === '’') {
        // A closing single quote is no apostrophe: "'This is great.' she said" against "don't".
        if (k + 1 >= text.length && mode === 'stream') return 'wait'
        if (isSpace(text[k - 1]) || isLetter(text[k + 1]) || isDigit(text[k + 1])) continue
      }
      if (depth === 0) return 'yes'
      depth--
    }
  }
  // Not closed yet: wait for the rest. A tentative end inside an open quotation is no likely end.
  return mode === 'final' ? 'no' : 'wait'
}

/** The list marker that starts a chunk, if any. */
function listMarker(text: string, mode: Mode): Marker | null | 'wait' {
  const more = mode === 'stream'
  let k = 0
  while (k < text.length && isSpace(text[k])) k++
  if (k >= text.length) return more ? 'wait' : null
  let bullet = ''
  if (BULLETS.has(text[k])) {
    bullet = text[k++]
    while (k < text.length && isBlank(text[k])) k++
    if (k >= text.length) return more ? 'wait' : { bullet, value: '', style: '', dot: -1 }
  }
  const bare: Marker | null = bullet ? { bullet, value: '', style: '', dot: -1 } : null
  let value = ''
  while (k < text.length && /[0-9]/.test(text[k]) && value.length < 4) value += text[k++]
  if (!value && /[a-z]/.test(text[k])) value = text[k++]
  if (!value || value.length > 3) return bare
  if (k >= text.length) return more ? 'wait' : bare
  let style = ''
  let dot = -1
  if (text[k] === '.') {
    dot = k
    style = '.'
    k++
    if (k >= text.length) return more ? 'wait' : bare
    if (text[k] === ')' || text[k] === '）') style += text[k++]
  } else if (text[k] === ')' || text[k] === '）') {
    style = text[k++]
  } else return bare
  if (k >= text.length) return more ? 'wait' : bare
  if (style.endsWith('）') || isSpace(text[k])) return { bullet, value, style, dot }
  return bare
}

/**
 * Whether a list item starts at `at`: the chunk's next item ("2." after "1.", "b." after "a.",
 * "• 10." after "• 9."), or any item numbered with a bracket ("3)", "4.)") before a word that is
 * not lower case.
 */
function itemAhead(text: string, at: number, m: Marker | null, mode: Mode): Verdict {
  if (m) {
    const v = nextMarker(text, at, m, mode)
    if (v !== 'none') return v
    if (m.bullet && BULLETS.has(text[at])) return 'break'
  }
  const c = text[at]
  const digit = c >= '0' && c <= '9'
  if (!digit && !(c >= 'a' && c <= 'z')) return 'none'
  // "... the second item a. The first item": a list that starts again ("a" is no word before a period).
  if (c === 'a' && isBlank(text[at - 1])) {
    if (at + 3 >= text.length) return mode === 'stream' ? 'wait' : 'none'
    if (text[at + 1] === '.' && text[at + 2] === ' ' && isUpper(text[at + 3])) return 'break'
  }
  let k = at + 1 // one letter, or up to three digits
  while (digit && k < text.length && k - at < 3 && text[k] >= '0' && text[k] <= '9') k++
  if (k >= text.length) return mode === 'stream' ? 'wait' : 'none'
  if (text[k] === '.') k++
  if (k >= text.length) return mode === 'stream' ? 'wait' : 'none'
  if (text[k] !== ')') return 'none'
  k++
  if (k >= text.length) return mode === 'stream' ? 'wait' : 'none'
  if (!isBlank(text[k])) return 'none'
  while (k < text.length && isBlank(text[k])) k++
  if (k >= text.length) return mode === 'stream' ? 'wait' : 'none'
  return isLower(text[k]) || text[k] === '\n' ? 'none' : 'break'
}

/** Whether the next item of the chunk's list starts at `at` ("2.)" after "1.)", "b." after "a."). */
function nextMarker(text: string, at: number, m: Marker, mode: Mode): Verdict {
  let expected = m.bullet
  if (m.value) {
    const next = /^\d+$/.test(m.value) ? String(Number(m.value) + 1) : String.fromCharCode(m.value.charCodeAt(0) + 1)
    expected += '\u0000' + next + m.style
  }
  let k = at
  for (let e = 0; e < expected.length; e++) {
    if (expected[e] === '\u0000') {
      while (k < text.length && isBlank(text[k])) k++
      if (k >= text.length) return mode === 'stream' ? 'wait' : 'none'
      continue
    }
    if (k >= text.length) return mode === 'stream' ? 'wait' : 'none'
    if (text[k] !== expected[e]) return 'none'
    k++
  }
  if (!m.value) return 'break'
  if (m.style.endsWith('）')) return 'break'
  if (k >= text.length) return mode === 'stream' ? 'wait' : 'none'
  return isBlank(text[k]) ? 'break' : 'none'
}
