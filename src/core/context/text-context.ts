/** Selected or copied text as a question carries it: labelled, and cut at the limit with a note. */
import { MAX_CONTEXT_TEXT_CHARS } from '../../shared/context'

export interface LabelledText {
  /** What the text is, e.g. "Selected text". */
  label: string
  /** The text as sent: the label, the text (cut if it was long), and a note when it was cut. */
  part: string
  /** Characters of the user's text that were sent, and whether some were left out. */
  chars: number
  truncated: boolean
}

/** The text, cut at `limit` characters (never inside a surrogate pair), with a note saying how much was left out. */
export function labelledText(label: string, text: string, limit = MAX_CONTEXT_TEXT_CHARS): LabelledText {
  const chars = Array.from(text)
  const truncated = chars.length > limit
  const kept = truncated ? chars.slice(0, limit).join('') : text
  const note = truncated ? `\n[The text was cut here: ${chars.length - limit} more characters were not sent.]` : ''
  return { label, part: `${label}:\n"""\n${kept}\n"""${note}`, chars: truncated ? limit : chars.length, truncated }
}
