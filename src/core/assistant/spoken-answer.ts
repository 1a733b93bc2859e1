/** A spoken yes or no, from its transcript (English and Chinese). */

const YES = /^(yes|yeah|yep|yup|sure|ok(ay)?|do it|go ahead|allow( it)?|confirm(ed)?|please do|of course|是|是的|好|好的|可以|行|确认|同意|允许|对)$/i
const NO = /^(no|nope|don'?t|do not|stop|cancel|refuse|deny|never mind|不|不要|不行|不用|取消|拒绝|别)$/i

/** true for yes, false for no, null when the words say neither. */
export function spokenAnswer(transcript: string): boolean | null {
  const words = transcript
    .toLowerCase()
    .replace(/[\s.,!?;:。，！？；：、"“”]+/gu, ' ')
    .trim()
  if (!words) return null
  // "Yes, please" and "no thanks" count by their first words; a whole short phrase also counts.
  for (const candidate of [words, words.split(' ').slice(0, 2).join(' '), words.split(' ')[0]]) {
    if (YES.test(candidate)) return true
    if (NO.test(candidate)) return false
  }
  // Chinese runs its words together: its first character can be the answer (好, 不).
  const first = [...words][0]
  if (/[\u3400-\u9fff]/u.test(first)) {
    if (YES.test(first)) return true
    if (NO.test(first)) return false
  }
  return null
}
