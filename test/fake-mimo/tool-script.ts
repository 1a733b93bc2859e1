// When the fake asks for tool calls, and what it says once they are answered.
//
// A question can script the calls: each [[...]] block is one round, its calls separated by "||",
// each call a tool name and its arguments as raw text (sent as they are, valid JSON or not):
//   [[get_weather {"city":"Beijing"}]]                          one call
//   [[get_weather {"city":"Beijing"} || get_time {}]]          two calls at once
//   [[get_weather {"city": Beij]]                               arguments that are not JSON
//   [[find_city {"q":"capital"}]] [[get_weather {"city":"?"}]]  a chain of two rounds
// Without a script, plain questions call the assistant's built-in tools when they are offered
// ("set a timer for ten minutes", "what time is it", "open https://...", "copy ... to the
// clipboard", "cancel my timer"), and a question that names an offered function calls it.

import { randomBytes } from 'node:crypto'
import { textOf } from './service-rules'

export interface PlannedCall {
  id: string
  name: string
  arguments: string
}

export interface ToolResult {
  name: string
  content: string
}

interface LooseMessage {
  role?: unknown
  content?: unknown
  tool_calls?: unknown
  tool_call_id?: unknown
}

const NUMBER_WORDS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, fifteen: 15, twenty: 20, thirty: 30, forty: 40, 'forty-five': 45, fifty: 50, sixty: 60, ninety: 90
}
const UNIT_SECONDS: Record<string, number> = { second: 1, minute: 60, hour: 3600 }

function amount(words: string): number | null {
  const w = words.trim().toLowerCase()
  if (/^\d+(\.\d+)?$/.test(w)) return Number(w)
  return NUMBER_WORDS[w] ?? null
}

function callId(): string {
  return `call_${randomBytes(6).toString('hex')}`
}

/** The offered function whose name is `wanted`, or ends with it (a server prefix, a renamed tool). */
function offered(tools: string[], wanted: string): string | undefined {
  return tools.find((t) => t === wanted) ?? tools.find((t) => t.endsWith(wanted) || t.endsWith(wanted.replace(/[^A-Za-z0-9_-]/g, '_')))
}

/** The rounds a question scripts, or null when it has no [[...]] block. */
export function scriptedRounds(question: string): Array<Array<{ name: string; arguments: string }>> | null {
  const blocks = [...question.matchAll(/\[\[(.+?)\]\]/gs)].map((m) => m[1])
  if (blocks.length === 0) return null
  return blocks.map((block) =>
    block.split('||').map((call) => {
      const trimmed = call.trim()
      const space = trimmed.search(/\s/)
      return space < 0 ? { name: trimmed, arguments: '{}' } : { name: trimmed.slice(0, space), arguments: trimmed.slice(space + 1).trim() }
    })
  )
}

/** Where the conversation is since the last user message: the tool rounds asked for, and their results. */
export function toolProgress(messages: LooseMessage[]): { rounds: number; results: ToolResult[] } {
  let lastUser = -1
  messages.forEach((m, i) => {
    if (m.role === 'user') lastUser = i
  })
  const names = new Map<string, string>()
  let rounds = 0
  const results: ToolResult[] = []
  for (const m of messages.slice(lastUser + 1)) {
    if (m.role === 'assistant' && Array.isArray(m.tool_calls) && m.tool_calls.length > 0) {
      rounds++
      for (const c of m.tool_calls as Array<{ id?: string; function?: { name?: string } }>) names.set(String(c.id), String(c.function?.name ?? ''))
    }
    if (m.role === 'tool') results.push({ name: names.get(String(m.tool_call_id)) ?? '', content: textOf(m.content) })
  }
  return { rounds, results }
}

function naturalCalls(question: string, tools: string[], progress: { rounds: number; results: ToolResult[] }): Array<{ name: string; arguments: string }> {
  const q = question.toLowerCase()
  const call = (wanted: string, args: Record<string, unknown>): Array<{ name: string; arguments: string }> => {
    const name = offered(tools, wanted)
    return name ? [{ name, arguments: JSON.stringify(args) }] : []
  }
  if (/cancel (the |my |that )?(timer|reminder)/.test(q)) {
    if (progress.rounds === 0) return call('list_timers', {})
    if (progress.rounds === 1) {
      const id = /"id"\s*:\s*"([^"]+)"|\bid ([\w-]+)/.exec(progress.results.map((r) => r.content).join(' '))
      return id ? call('cancel_timer', { id: id[1] ?? id[2] }) : []
    }
    return []
  }
  if (progress.rounds > 0) return []
  const timer = /\b(?:set|start) (?:a |an )?timer for ([\w.-]+) (second|minute|hour)s?\b/.exec(q)
  if (timer && amount(timer[1]) !== null) return call('set_timer', { seconds: amount(timer[1])! * UNIT_SECONDS[timer[2]], label: 'Timer' })
  const remind = /\bremind me in ([\w.-]+) (second|minute|hour)s? to (.+?)[.?!]*$/.exec(q)
  if (remind && amount(remind[1]) !== null)
    return call('set_timer', { seconds: amount(remind[1])! * UNIT_SECONDS[remind[2]], label: remind[3], kind: 'reminder' })
  if (/\b(list|what are) (my |the )?(timers|reminders)\b/.test(q)) return call('list_timers', {})
  if (/\bwhat time is it\b|\bwhat(?:'s| is) the (?:time|date)\b|几点/.test(q)) return call('get_current_time', {})
  const open = /\bopen (https?:\/\/\S+?)[.?!]?$/i.exec(question.trim())
  if (open) return call('open_url', { url: open[1] })
  const copy = /\bcopy ["“]?(.+?)["”]? to the clipboard\b/i.exec(question)
  if (copy) return call('copy_to_clipboard', { text: copy[1] })
  // An offered function named in the question is called with the question.
  const named = tools.find((t) => q.includes(t.toLowerCase()))
  return named ? [{ name: named, arguments: JSON.stringify({ question }) }] : []
}

/** The calls to ask for now, or [] for an ordinary answer. */
export function planToolCalls(question: string, messages: LooseMessage[], tools: string[]): PlannedCall[] {
  if (tools.length === 0) return []
  const progress = toolProgress(messages)
  const script = scriptedRounds(question)
  const calls = script ? (script[progress.rounds] ?? []) : naturalCalls(question, tools, progress)
  return calls.map((c) => ({ id: callId(), name: offered(tools, c.name) ?? c.name, arguments: c.arguments }))
}

/** The answer once the tools have answered: it says what they said. */
export function answerFromTools(results: ToolResult[]): string {
  const said = results.map((r) => `${r.name ? `The ${r.name} tool says: ` : 'A tool says: '}${r.content.replace(/\s+/g, ' ').trim().replace(/[.\s]*$/, '')}.`)
  return `${said.join(' ')} That is all I found.`
}
