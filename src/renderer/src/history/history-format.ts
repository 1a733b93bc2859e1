/** How kept conversations are labelled: by day, by time, and by their title. */
import type { ConversationSummary } from '../../../shared/history'
import type { Language, Translate } from '../i18n'

const locale = (lang: Language): string => (lang === 'zh' ? 'zh-CN' : 'en')

// Making a formatter costs far more than using one: one of each per language, for every row of the list.
const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(lang: Language, kind: 'day' | 'time'): Intl.DateTimeFormat {
  const key = `${lang}:${kind}`
  let f = formatters.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat(
      locale(lang),
      kind === 'day' ? { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' } : { hour: '2-digit', minute: '2-digit' }
    )
    formatters.set(key, f)
  }
  return f
}

function dayStart(ms: number): number {
  const d = new Date(ms)
  d.setHours(0, 0, 0, 0)
  return d.getTime()
}

/** "Today", "Yesterday", or the date in the window's language. */
export function dayLabel(ms: number, now: number, lang: Language, t: Translate): string {
  const days = Math.round((dayStart(now) - dayStart(ms)) / 86_400_000)
  if (days === 0) return t('history.today')
  if (days === 1) return t('history.yesterday')
  return formatter(lang, 'day').format(ms)
}

export function timeLabel(ms: number, lang: Language): string {
  return formatter(lang, 'time').format(ms)
}

export function titleOf(c: Pick<ConversationSummary, 'title'>, t: Translate): string {
  return c.title?.trim() || t('history.spokenQuestion')
}

/** Conversations grouped by the day of their last turn, newest first (they arrive in that order). */
export function byDay<T extends { updatedAt: number }>(items: T[]): Array<{ day: number; items: T[] }> {
  const groups: Array<{ day: number; items: T[] }> = []
  for (const item of items) {
    const day = dayStart(item.updatedAt)
    const last = groups[groups.length - 1]
    if (last && last.day === day) last.items.push(item)
    else groups.push({ day, items: [item] })
  }
  return groups
}
