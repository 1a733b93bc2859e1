/**
 * Turns a chunk of the reply as written (it may hold markdown, code, links, emoji) into the words a
 * voice should say. The model is asked for plain spoken sentences, but it does not always comply.
 */

const FENCED_CODE = /```[\s\S]*?(```|$)/g
const IMAGE = /!\[([^\]]*)\]\([^)]*\)/g
const LINK = /\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)/g
const AUTOLINK = /<(?:https?:\/\/|mailto:)[^>]*>/gi
const URL = /\b(?:https?:\/\/|www\.)[^\s<>()\]]*[^\s<>()\].,;:!?'"”’)]/gi
const HTML_TAG = /<\/?[a-z][^>]*>/gi
const INLINE_CODE = /`([^`\n]*)`/g
// Pictographs, flags and skin tones, then the joiners and selectors that glued them together.
const EMOJI = /[\p{Extended_Pictographic}\p{Regional_Indicator}\u{1F3FB}-\u{1F3FF}]/gu
const EMOJI_GLUE = /\u{FE0F}|\u{200D}|\u{20E3}/gu
const TABLE_RULE = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/
const HEADING = /^\s{0,3}#{1,6}\s+/
const BLOCKQUOTE = /^\s{0,3}(>\s?)+/
const BULLET = /^\s*(?:[-*+•·▪●]|\d{1,3}[.)、])\s+/
const EMPHASIS = /(\*{1,3}|_{1,3}|~~)(?=\S)([\s\S]*?\S)\1/g
const STRAY_MARKS = /(^|\s)[*_~#>|]+(?=\s|$)/g

/** Inline code is read out when it is a short word ("the `ls` command"), dropped when it is code. */
function inlineCode(content: string): string {
  const trimmed = content.trim()
  return /^[\p{L}\p{N}][\p{L}\p{N}._\- ]{0,30}$/u.test(trimmed) && trimmed.split(' ').length <= 3 ? trimmed : ''
}

function speakableLine(line: string): string {
  if (TABLE_RULE.test(line) && line.includes('-')) return ''
  let out = line.replace(HEADING, '').replace(BLOCKQUOTE, '').replace(BULLET, '')
  // A table row: its cells become a list.
  if (/^\s*\|.*\|\s*$/.test(out)) {
    out = out
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((cell) => cell.trim())
      .filter(Boolean)
      .join(', ')
  } else if (out.includes(' | ')) {
    out = out.split(/\s+\|\s+/).join(', ')
  }
  return out
}

/** The words to speak for one chunk of reply text; '' when nothing in it is speakable. */
export function toSpeechText(text: string): string {
  let out = text.replace(FENCED_CODE, ' ')
  out = out.replace(IMAGE, '$1').replace(LINK, '$1').replace(AUTOLINK, ' ').replace(URL, ' ')
  out = out.replace(INLINE_CODE, (_m, code: string) => inlineCode(code))
  out = out.replace(HTML_TAG, ' ')
  out = out
    .split('\n')
    .map(speakableLine)
    .filter((l) => l.trim())
    .join('\n')
  out = out.replace(EMPHASIS, '$2').replace(EMPHASIS, '$2')
  out = out.replace(EMOJI, '').replace(EMOJI_GLUE, '')
  out = out.replace(STRAY_MARKS, '$1')
  out = out.replace(/`/g, '')
  // Lines that were list items or paragraphs are read as sentences in a row.
  out = out.replace(/\s*\n\s*/g, ' ').replace(/[ \t\u00a0]{2,}/g, ' ')
  out = out.replace(/\s+([,.!?;:，。！？；：、])/g, '$1')
  out = out.trim()
  // Punctuation alone is nothing to say.
  return /[\p{L}\p{N}]/u.test(out) ? out : ''
}
