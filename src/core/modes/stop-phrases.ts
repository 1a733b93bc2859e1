/**
 * The spoken words that end a hands-free conversation, matched on a turn's transcript. Only a
 * transcript that is nothing but a stop phrase (with a courtesy word or two around it) counts, so
 * "how do I stop a process" is a question, and "okay, goodbye!" ends the conversation.
 */

const STOP_PHRASES = [
  'stop',
  'stop listening',
  'stop talking',
  'goodbye',
  'good bye',
  'bye',
  'bye bye',
  'end conversation',
  'end the conversation',
  "that's all",
  'that is all',
  '再见',
  '拜拜',
  '停止',
  '停',
  '结束',
  '结束对话'
]

/** Words that may come with a stop phrase without changing what it means. */
const COURTESIES = ['ok', 'okay', 'thanks', 'thank you', 'please', 'now', 'then', 'mimo', 'alright', 'all right', 'well', '好', '好的', '谢谢', '那', '吧', '了', '啦']

/** Lower case, punctuation and spaces between words made single spaces. */
function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[’]/g, "'")
    .replace(/[^\p{L}\p{N}']+/gu, ' ')
    .trim()
}

/** Chinese has no spaces: courtesy words are cut where they stand, English ones as whole words. */
function withoutCourtesies(text: string): string {
  let rest = ` ${text} `
  // Longest first, so "thank you" goes before "thank".
  for (const c of [...COURTESIES].sort((a, b) => b.length - a.length)) {
    if (/^\p{Script=Han}+$/u.test(c)) rest = rest.split(c).join(' ')
    else rest = rest.split(` ${c} `).join('  ')
  }
  return rest.replace(/\s+/g, ' ').trim()
}

/** The transcript asks to end the conversation. */
export function isStopPhrase(transcript: string): boolean {
  const text = normalise(transcript)
  if (!text || text.length > 60) return false
  if (STOP_PHRASES.includes(text)) return true
  const core = withoutCourtesies(text)
  return core !== '' && STOP_PHRASES.includes(core)
}
