/** Dates and times in the user's time zone, with the platform's Intl (no time zone tables of our own). */

/** The settings' time zone, else the system's. */
export function effectiveTimeZone(setting: string | null | undefined): string {
  return setting || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}

interface WallTime {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

/** The wall-clock time at `epochMs` in `timeZone`. */
export function wallTime(epochMs: number, timeZone: string): WallTime {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric'
  }).formatToParts(new Date(epochMs))
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0)
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') }
}

/** The zone's offset from UTC at `epochMs`, in milliseconds (Asia/Shanghai: +8 h). */
export function offsetMs(epochMs: number, timeZone: string): number {
  const w = wallTime(epochMs, timeZone)
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(epochMs / 1000) * 1000
}

/** The instant a wall-clock time happens in `timeZone` (the later one when a clock change repeats it). */
export function epochOfWallTime(w: Omit<WallTime, 'second'> & { second?: number }, timeZone: string): number {
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second ?? 0)
  // Two passes settle the offset around a clock change.
  let guess = asUtc - offsetMs(asUtc, timeZone)
  guess = asUtc - offsetMs(guess, timeZone)
  return guess
}

/** The next time the clock shows hour:minute in `timeZone`, after `nowMs`. */
export function nextOccurrence(hour: number, minute: number, nowMs: number, timeZone: string): number {
  const today = wallTime(nowMs, timeZone)
  let at = epochOfWallTime({ year: today.year, month: today.month, day: today.day, hour, minute }, timeZone)
  if (at <= nowMs) {
    const tomorrow = wallTime(nowMs + 24 * 3600_000, timeZone)
    at = epochOfWallTime({ year: tomorrow.year, month: tomorrow.month, day: tomorrow.day, hour, minute }, timeZone)
  }
  return at
}

/** "Monday, 1 December 2026, 14:35" in the zone (English; the model says it in the user's language). */
export function describeLocal(epochMs: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23'
  }).format(new Date(epochMs))
}

/** ISO 8601 with the zone's offset, e.g. 2026-12-01T14:35:00+08:00. */
export function isoWithOffset(epochMs: number, timeZone: string): string {
  const off = offsetMs(epochMs, timeZone)
  const w = wallTime(epochMs, timeZone)
  const pad = (n: number, l = 2): string => String(Math.abs(n)).padStart(l, '0')
  const sign = off < 0 ? '-' : '+'
  const mins = Math.round(Math.abs(off) / 60_000)
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${sign}${pad(Math.floor(mins / 60))}:${pad(mins % 60)}`
}

/** "10 minutes", "1 hour 5 minutes", "45 seconds". */
export function describeDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const unit = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`
  const parts = [h ? unit(h, 'hour') : '', m ? unit(m, 'minute') : '', s && !h ? unit(s, 'second') : ''].filter(Boolean)
  return parts.join(' ') || '0 seconds'
}
