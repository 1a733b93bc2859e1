/**
 * The assistant's own tools: timers and reminders, the date and time in the user's time zone,
 * opening a web address in the browser, copying text to the clipboard. Each can be switched off in
 * the settings; the outside world is reached through ports (src/core/ports.ts).
 */
import type { Settings } from '../../shared/settings'
import type { TimerView } from '../../shared/tools'
import type { ClipboardWriter, Clock, UrlOpener } from '../ports'
import { stringArg, ToolError, type Tool, type ToolSource } from './tool'
import type { TimerService } from './timers'
import { describeDuration, describeLocal, effectiveTimeZone, epochOfWallTime, isoWithOffset, nextOccurrence } from './zoned-time'

export interface BuiltinToolDeps {
  settings: () => Pick<Settings, 'tools' | 'timeZone'>
  timers: TimerService
  openUrl: UrlOpener
  clipboard: ClipboardWriter
  /** Wall-clock milliseconds since the epoch. */
  clock?: Clock
}

const MAX_CLIPBOARD_TEXT = 100_000

/** A web address the browser may be asked to open: http(s), no user name or password in it. */
export function checkWebAddress(text: string): string {
  let url: URL
  try {
    url = new URL(text.trim())
  } catch {
    throw new ToolError(`"${text}" is not a web address.`, 'bad-url')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ToolError('Only http and https addresses are opened.', 'bad-url')
  if (url.username || url.password) throw new ToolError('Addresses with a user name or password are not opened.', 'bad-url')
  return url.href
}

/** When a set_timer call wants its timer: after `seconds`, or `at` a clock time ("15:00") or a date and time. */
export function dueTime(args: Record<string, unknown>, nowMs: number, timeZone: string): number {
  const seconds = args.seconds
  const at = args.at
  if (seconds !== undefined && seconds !== null) {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 1) throw new ToolError('"seconds" must be a number of seconds, at least 1.', 'bad-arguments')
    return nowMs + Math.round(seconds * 1000)
  }
  if (typeof at === 'string' && at.trim()) {
    const clock = /^(\d{1,2}):(\d{2})$/.exec(at.trim())
    if (clock) {
      const [h, m] = [Number(clock[1]), Number(clock[2])]
      if (h > 23 || m > 59) throw new ToolError(`"${at}" is not a time of day.`, 'bad-arguments')
      return nextOccurrence(h, m, nowMs, timeZone)
    }
    // A date and time: with an offset it is exact; without one it is the user's local time.
    const local = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(at.trim())
    if (local) {
      const [, y, mo, d, h, mi, s] = local.map(Number)
      return epochOfWallTime({ year: y, month: mo, day: d, hour: h, minute: mi, second: s || 0 }, timeZone)
    }
    const exact = Date.parse(at)
    if (!Number.isNaN(exact)) return exact
    throw new ToolError(`"${at}" is not a time: use "HH:MM" or "YYYY-MM-DDTHH:MM".`, 'bad-arguments')
  }
  throw new ToolError('Give "seconds" (how long from now) or "at" (a time such as "15:00").', 'bad-arguments')
}

function describeTimer(t: TimerView, nowMs: number, timeZone: string): Record<string, string> {
  const due = Date.parse(t.dueAt)
  return { id: t.id, kind: t.kind, label: t.label, dueAt: isoWithOffset(due, timeZone), remaining: describeDuration(due - nowMs) }
}

export function createBuiltinTools(d: BuiltinToolDeps): ToolSource {
  const clock = d.clock ?? { now: () => Date.now() }
  const tz = (): string => effectiveTimeZone(d.settings().timeZone)

  const timerTools: Tool[] = [
    {
      name: 'set_timer',
      description:
        'Sets a timer or a reminder. It goes off with a notification and a spoken alert, even after a restart. ' +
        'Give "seconds" from now, or "at" a time of day ("15:00", the next time the clock shows it) or a local date and time ("2026-12-24T09:00").',
      parameters: {
        type: 'object',
        properties: {
          seconds: { type: 'number', description: 'How long from now, in seconds.' },
          at: { type: 'string', description: 'When: "HH:MM" in the user\'s time zone, or "YYYY-MM-DDTHH:MM".' },
          label: { type: 'string', description: 'What it is for, e.g. "Tea" or "Call the dentist".' },
          kind: { type: 'string', enum: ['timer', 'reminder'], description: 'A reminder says its label when it goes off.' }
        }
      },
      async run(args) {
        const now = clock.now()
        const dueAtMs = dueTime(args, now, tz())
        const kind = args.kind === 'reminder' ? 'reminder' : 'timer'
        const label = stringArg(args, 'label', { max: 200 }) ?? ''
        const timer = d.timers.add({ dueAtMs, label, kind })
        return JSON.stringify({ set: describeTimer(timer, now, tz()), local: describeLocal(dueAtMs, tz()) })
      }
    },
    {
      name: 'list_timers',
      description: 'Lists the timers and reminders that have not gone off yet, soonest first, with their ids.',
      parameters: { type: 'object', properties: {} },
      async run() {
        const now = clock.now()
        const timers = d.timers.list()
        return timers.length === 0 ? 'No timers or reminders are set.' : JSON.stringify(timers.map((t) => describeTimer(t, now, tz())))
      }
    },
    {
      name: 'cancel_timer',
      description: 'Cancels a timer or reminder by its id (list_timers gives the ids).',
      parameters: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
      async run(args) {
        const timer = d.timers.cancel(stringArg(args, 'id', { required: true, max: 40 })!)
        return JSON.stringify({ cancelled: describeTimer(timer, clock.now(), tz()) })
      }
    }
  ]

  const clockTool: Tool = {
    name: 'get_current_time',
    description: "Gives the current date, time, weekday and the user's time zone.",
    parameters: { type: 'object', properties: {} },
    async run() {
      const now = clock.now()
      return JSON.stringify({ local: describeLocal(now, tz()), iso: isoWithOffset(now, tz()), timeZone: tz() })
    }
  }

  const openUrlTool: Tool = {
    name: 'open_url',
    description: "Opens a web address (http or https) in the user's browser.",
    parameters: { type: 'object', properties: { url: { type: 'string', description: 'A full http(s) address.' } }, required: ['url'] },
    async run(args) {
      const url = checkWebAddress(stringArg(args, 'url', { required: true, max: 4000 })!)
      await d.openUrl.open(url)
      return `Opened ${url} in the browser.`
    }
  }

  const clipboardTool: Tool = {
    name: 'copy_to_clipboard',
    description: "Copies text to the user's clipboard, ready to paste.",
    parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
    async run(args) {
      const text = stringArg(args, 'text', { required: true, max: MAX_CLIPBOARD_TEXT })!
      await d.clipboard.writeText(text)
      return `Copied ${text.length} characters to the clipboard.`
    }
  }

  return {
    async tools() {
      const on = d.settings().tools
      return [...(on.timers ? timerTools : []), ...(on.clock ? [clockTool] : []), ...(on.openUrl ? [openUrlTool] : []), ...(on.clipboard ? [clipboardTool] : [])]
    }
  }
}
