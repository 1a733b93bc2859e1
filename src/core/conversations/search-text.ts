/**
 * Full-text search in English and Chinese on one FTS5 index.
 *
 * FTS5's unicode61 tokenizer splits Latin text into words, but takes a run of Chinese characters
 * (which has no spaces) as one token, so "天气" would not be found inside "今天北京的天气怎么样". The
 * trigram tokenizer finds substrings, but only of three characters or more, and most Chinese words
 * have two. So before indexing, every run of Han (or kana) characters is rewritten as its
 * overlapping character pairs plus its last character: "北京天气" -> "北京 京天 天气 气". A Chinese
 * query becomes the phrase of its pairs ("京天气" -> "京天 天气", adjacent), and a single character a
 * prefix query ("天"* matches every pair that starts with it, and the run's last character). Other
 * text is indexed as words; each query word is a prefix, so a word is found while it is typed.
 */

const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+/gu

/** Character pairs of a run, and (for the index) its last character. */
function pairs(run: string, withLast: boolean): string[] {
  const chars = [...run]
  if (chars.length === 1) return chars
  const out: string[] = []
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1])
  if (withLast) out.push(chars[chars.length - 1])
  return out
}

/** The text as the index stores it (see above). */
export function indexText(text: string): string {
  return text.replace(CJK_RUN, (run) => ` ${pairs(run, true).join(' ')} `)
}

/** FTS5 string literal: double quotes doubled. */
const quote = (s: string): string => `"${s.replace(/"/g, '""')}"`

/** What the user typed, as words and runs of Chinese characters, in order. */
function segments(text: string): Array<{ cjk: boolean; text: string }> {
  const out: Array<{ cjk: boolean; text: string }> = []
  const words = (segment: string): void => {
    for (const w of segment.split(/[^\p{L}\p{N}_]+/u)) if (w) out.push({ cjk: false, text: w })
  }
  let last = 0
  for (const m of text.matchAll(CJK_RUN)) {
    words(text.slice(last, m.index))
    out.push({ cjk: true, text: m[0] })
    last = m.index + m[0].length
  }
  words(text.slice(last))
  return out
}

/**
 * The FTS5 query for what the user typed: every word and every Chinese phrase must occur (in the
 * question or the answer). Null when nothing searchable is left (only punctuation, say).
 */
export function matchQuery(text: string): string | null {
  const terms = segments(text).map(({ cjk, text: t }) =>
    !cjk ? `${quote(t.toLowerCase())}*` : [...t].length === 1 ? `${quote(t)}*` : quote(pairs(t, false).join(' '))
  )
  return terms.length ? terms.join(' AND ') : null
}

/** The query's words and Chinese phrases, for finding them again in the stored text. */
export function queryTerms(text: string): string[] {
  return segments(text).map((s) => s.text)
}

/**
 * A short excerpt of `text` around the first place a term occurs, with the term's position in the
 * excerpt (for highlighting). The start of the text when no term is found as typed.
 */
export function snippet(text: string, terms: string[], width = 80): { text: string; match?: { start: number; length: number } } {
  const lower = text.toLowerCase()
  let at = -1
  let length = 0
  for (const term of terms) {
    const i = lower.indexOf(term.toLowerCase())
    if (i !== -1 && (at === -1 || i < at)) {
      at = i
      length = term.length
    }
  }
  if (at === -1) return { text: text.length > width ? `${text.slice(0, width).trimEnd()}…` : text }
  const from = Math.max(0, at - Math.floor((width - length) / 3))
  const to = Math.min(text.length, from + Math.max(width, length))
  const prefix = from > 0 ? '…' : ''
  const suffix = to < text.length ? '…' : ''
  return { text: `${prefix}${text.slice(from, to)}${suffix}`, match: { start: prefix.length + at - from, length } }
}
