/**
 * The command's tools: `ask --tools` (the built-in tools), `ask --mcp FILE` (an mcpServers JSON),
 * `ask --yes` (calls that ask first are allowed), and `mimo-voice timers [list | cancel ID]`.
 * Timers are kept in the data folder the app uses: the app fires them (and the command lists and
 * cancels them), so a timer set from the command goes off once the app runs.
 */
import { readFile } from 'node:fs/promises'
import { createInterface } from 'node:readline/promises'
import type { Settings } from '../shared/settings'
import { parseMcpServersDocument, type ToolCallView } from '../shared/tools'
import { userDataDir } from '../core/app-paths'
import { createBuiltinTools } from '../core/tools/builtin-tools'
import { McpHub } from '../core/tools/mcp-servers'
import type { ToolSource } from '../core/tools/tool'
import type { ConfirmRequest } from '../core/tools/tool-runner'
import { allTools } from '../core/tools/tool-service'
import { TimerService } from '../core/tools/timers'
import { effectiveTimeZone, isoWithOffset, describeDuration } from '../core/tools/zoned-time'
import { toUserError } from '../core/user-error'
import type { Assistant } from '../core/assistant/assistant'
import { UsageError, type CliOptions } from './args'
import type { CliIo } from './cli-context'
import { commandClipboard, commandUrlOpener } from './desktop-adapters'
import { describeError, EXIT, exitCodeFor } from './exit-codes'

export interface CliTools {
  source: ToolSource
  confirm(turnId: string, request: ConfirmRequest): Promise<boolean>
  close(): Promise<void>
}

function line(stream: NodeJS.WritableStream, text: string): void {
  stream.write(`${text}\n`)
}

/**
 * The tools `ask` and `chat` offer, or undefined without --tools and --mcp. A bad --mcp file is
 * refused before any request. `askOnTerminal: false` (chat, whose Enter ends the conversation):
 * calls that ask first need --yes.
 */
export async function cliTools(options: CliOptions, settings: Settings, io: CliIo, o: { askOnTerminal?: boolean } = {}): Promise<CliTools | undefined> {
  if (!options.tools && options.mcp === undefined) return undefined
  const sources: ToolSource[] = []
  let hub: McpHub | undefined
  if (options.tools) {
    sources.push(
      createBuiltinTools({
        settings: () => settings,
        timers: new TimerService({ dataDir: userDataDir({ env: io.env }) }),
        openUrl: commandUrlOpener(io.env),
        clipboard: commandClipboard(io.env)
      })
    )
  }
  if (options.mcp !== undefined) {
    let text: string
    try {
      text = await readFile(options.mcp, 'utf8')
    } catch (err) {
      throw new UsageError(`The MCP servers file "${options.mcp}" cannot be read: ${(err as Error).message}`)
    }
    let servers
    try {
      servers = parseMcpServersDocument(text)
    } catch (err) {
      throw new UsageError(`${options.mcp}: ${(err as Error).message}`)
    }
    hub = new McpHub({ servers: () => servers, onNotice: ({ message }) => line(io.stderr, message), startWaitMs: 30_000 })
    sources.push(hub)
  }
  const ask = (o.askOnTerminal ?? true) && io.stdin.isTTY && !options.yes
  return {
    source: allTools(sources),
    async confirm(_turnId, request) {
      const name = request.tool.server ? `${request.tool.server} › ${request.tool.name}` : request.tool.name
      if (options.yes) return true
      if (!ask) {
        line(io.stderr, `Refused ${name}: it asks first (${request.reason}); pass --yes to allow such calls.`)
        return false
      }
      const rl = createInterface({ input: io.stdin, output: io.stderr })
      try {
        const answer = await rl.question(`Allow ${name} ${request.call.arguments}? [y/N] `, { signal: request.signal })
        return /^y(es)?$/i.test(answer.trim())
      } catch {
        return false
      } finally {
        rl.close()
      }
    },
    close: async () => {
      await hub?.close()
    }
  }
}

/** Each tool call of the assistant's turns, once it has an outcome, as one line (the terminal's stderr). */
export function reportToolCalls(assistant: Pick<Assistant, 'on'>, write: (line: string) => void): void {
  const told = new Set<string>()
  assistant.on('turn', (view) => {
    for (const c of view.toolCalls ?? []) {
      const key = `${view.id}:${c.round}:${c.id}`
      if (c.status === 'running' || c.status === 'confirm' || told.has(key)) continue
      told.add(key)
      write(describeCall(c))
    }
  })
}

/** One line per finished call, for the terminal (stderr). */
export function describeCall(c: ToolCallView): string {
  const name = c.server ? `${c.server} › ${c.tool}` : c.tool
  const outcome = c.status === 'done' ? (c.result ?? '').replace(/\s+/g, ' ').slice(0, 200) : `${c.status}${c.error ? `: ${c.error}` : ''}`
  return `[tool] ${name} ${c.arguments || '{}'} → ${outcome}${c.durationMs !== undefined ? ` (${c.durationMs} ms)` : ''}`
}

/** `mimo-voice timers [list]` and `mimo-voice timers cancel ID`. */
export async function runTimers(options: CliOptions, settings: Settings, io: CliIo): Promise<number> {
  const timers = new TimerService({ dataDir: userDataDir({ env: io.env }) })
  const tz = effectiveTimeZone(settings.timeZone)
  const [what = 'list', id] = options.text
  try {
    if (what === 'cancel') {
      const t = timers.cancel(id)
      if (options.json) line(io.stdout, JSON.stringify({ cancelled: t }))
      else line(io.stdout, `Cancelled ${t.kind} "${t.label}" (${t.id}).`)
      return EXIT.ok
    }
    const list = timers.list()
    if (options.json) line(io.stdout, JSON.stringify(list))
    else if (list.length === 0) line(io.stdout, 'No timers or reminders are set.')
    else
      for (const t of list)
        line(io.stdout, `${t.id}  ${t.kind.padEnd(8)}  ${isoWithOffset(Date.parse(t.dueAt), tz)}  in ${describeDuration(Date.parse(t.dueAt) - Date.now())}  ${t.label}`)
    return EXIT.ok
  } catch (err) {
    const error = toUserError(err)
    line(io.stderr, describeError(error))
    return error.code === 'no-timer' ? EXIT.usage : exitCodeFor(error)
  }
}
