/**
 * `mimo-voice history ...`: list, show, search, export and delete kept conversations. The history is
 * the app's own database (`history/history.db` in the data folder), so both see the same turns.
 */
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import type { ConversationSummary, ExportFormat } from '../shared/history'
import { userDataDir } from '../core/app-paths'
import { createConversationsService, type ConversationsService } from '../core/conversations/conversations-service'
import { toMarkdown } from '../core/conversations/export'
import { HistoryDatabase } from '../core/conversations/history-database'
import { HistoryEvents } from '../core/conversations/history-events'
import { historyDir } from '../core/conversations/open-history'
import type { SpeechSink } from '../core/assistant/speech-queue'
import { toUserError } from '../core/user-error'
import type { Settings } from '../shared/settings'
import { describeError, EXIT, exitCodeFor } from './exit-codes'

export const HISTORY_USAGE = `Usage:
  mimo-voice history [list] [--limit N] [--json]   conversations, newest first
  mimo-voice history show ID [--json]              one conversation, every turn
  mimo-voice history search TEXT... [--json]       turns whose question or answer holds the words
                                                   (Chinese is found inside sentences)
  mimo-voice history export [ID] --format md|json [--out FILE]
                                                   one conversation, or all; to stdout without --out
  mimo-voice history rm ID                         delete a conversation (and its kept audio)
  mimo-voice history clear [--yes]                 delete every conversation

Continue one with: mimo-voice ask --continue [ID] TEXT   (the latest without ID)
The history is kept in %DIR%.
`

export interface HistoryCommandDeps {
  stdout: { write(text: string): unknown }
  stderr: { write(text: string): unknown }
  env: NodeJS.ProcessEnv
  settings: () => Settings
  /** Asks yes/no on an interactive terminal; absent otherwise (then `clear` needs --yes). */
  confirm?: (question: string) => Promise<boolean>
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean' },
      format: { type: 'string' },
      out: { type: 'string', short: 'o' },
      limit: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
      help: { type: 'boolean', short: 'h' }
    }
  })
}

class HistoryUsageError extends Error {}

function idOf(text: string | undefined, command: string): number {
  if (text === undefined) throw new HistoryUsageError(`history ${command} needs the conversation's ID (see mimo-voice history list).`)
  if (!/^\d{1,15}$/.test(text) || Number(text) < 1) throw new HistoryUsageError(`"${text}" is not a conversation ID (a number from mimo-voice history list).`)
  return Number(text)
}

function day(ms: number): string {
  const d = new Date(ms)
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

const oneLine = (text: string, max = 70): string => {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

function summaryLine(c: ConversationSummary): string {
  const turns = `${c.turnCount} ${c.turnCount === 1 ? 'turn ' : 'turns'}`
  return `${String(c.id).padStart(6)}  ${day(c.updatedAt)}  ${turns.padStart(9)}  ${oneLine(c.title ?? '(a spoken question)')}`
}

/** Exit codes: 0 done, 1 the history could not be read or written, 2 usage or a conversation that is not there. */
export async function runHistoryCommand(argv: string[], deps: HistoryCommandDeps): Promise<number> {
  const out = (s: string): void => void deps.stdout.write(s.endsWith('\n') ? s : `${s}\n`)
  const err = (s: string): void => void deps.stderr.write(s.endsWith('\n') ? s : `${s}\n`)
  const dir = historyDir(userDataDir({ env: deps.env }))
  const usage = (): string => HISTORY_USAGE.replace('%DIR%', dir)

  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(argv)
  } catch (e) {
    err(`mimo-voice history: ${(e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, '')}`)
    err(usage())
    return EXIT.usage
  }
  const { values: flags, positionals } = parsed
  const [command = 'list', ...rest] = positionals
  if (flags.help || command === 'help') {
    out(usage())
    return EXIT.ok
  }

  const events = new HistoryEvents()
  events.on('problem', (e) => err(`History: ${e.message}${e.hint ? `\n${e.hint}` : ''}`))
  const database = new HistoryDatabase({ dir, onProblem: events.problem, busyTimeoutMs: 2000 })
  const history: ConversationsService = createConversationsService({
    database,
    events,
    retention: () => deps.settings().historyRetention,
    exportDir: () => process.cwd(),
    createSink: (): Promise<SpeechSink> => Promise.reject(new Error('no speaker here'))
  })
  try {
    switch (command) {
      case 'list':
      case 'ls': {
        const limit = flags.limit === undefined ? 50 : Number(flags.limit)
        if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new HistoryUsageError('--limit takes a number from 1 to 200.')
        const page = history.list({ limit })
        if (flags.json) out(JSON.stringify(page.conversations, null, 2))
        else if (!page.conversations.length) out(`No conversations kept yet (${dir}).`)
        else out(['    ID  Last turn         Turns  Title', ...page.conversations.map(summaryLine)].join('\n'))
        return EXIT.ok
      }
      case 'show': {
        const conversation = history.get(idOf(rest[0], 'show'))
        out(flags.json ? JSON.stringify(conversation, null, 2) : toMarkdown([conversation]))
        return EXIT.ok
      }
      case 'search': {
        const text = rest.join(' ').trim()
        if (!text) throw new HistoryUsageError('history search needs the words to look for.')
        const hits = history.search(text, flags.limit === undefined ? 50 : Number(flags.limit) || 50)
        if (flags.json) out(JSON.stringify(hits, null, 2))
        else if (!hits.length) out(`Nothing kept mentions "${text}".`)
        else
          out(
            hits
              .map((h) => `${String(h.conversationId).padStart(6)}  ${day(h.startedAt)}  ${oneLine(h.conversationTitle ?? '', 50)}\n        Q: ${oneLine(h.question.text)}\n        A: ${oneLine(h.answer.text)}`)
              .join('\n')
          )
        return EXIT.ok
      }
      case 'export': {
        const format = flags.format
        if (format !== 'md' && format !== 'json') throw new HistoryUsageError('history export needs --format md or --format json.')
        const id = rest[0] === undefined ? undefined : idOf(rest[0], 'export')
        const result = history.exportText(format as ExportFormat, id)
        if (flags.out) {
          writeFileSync(flags.out, result.text)
          err(`Wrote ${result.conversations} ${result.conversations === 1 ? 'conversation' : 'conversations'} (${result.turns} turns) to ${flags.out}.`)
        } else deps.stdout.write(result.text)
        return EXIT.ok
      }
      case 'rm':
      case 'delete': {
        const id = idOf(rest[0], 'rm')
        const title = history.get(id).title
        history.remove(id)
        out(`Deleted conversation ${id}${title ? ` (${oneLine(title, 50)})` : ''}.`)
        return EXIT.ok
      }
      case 'clear': {
        const { conversations } = database.use((s) => s.counts())
        if (!flags.yes) {
          if (!deps.confirm) throw new HistoryUsageError('history clear deletes every conversation: add --yes to confirm.')
          if (!(await deps.confirm(`Delete all ${conversations} conversations?`))) {
            err('Nothing deleted.')
            return EXIT.ok
          }
        }
        history.clear()
        out(`Deleted ${conversations} ${conversations === 1 ? 'conversation' : 'conversations'}.`)
        return EXIT.ok
      }
      default:
        throw new HistoryUsageError(`Unknown history command "${command}".`)
    }
  } catch (e) {
    if (e instanceof HistoryUsageError) {
      err(`mimo-voice history: ${e.message}`)
      return EXIT.usage
    }
    const error = toUserError(e)
    err(describeError(error))
    return error.code === 'history-storage' ? EXIT.failed : exitCodeFor(error)
  } finally {
    database.close()
  }
}
