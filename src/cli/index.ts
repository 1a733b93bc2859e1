/**
 * `mimo-voice`: the assistant from a terminal, on the same core as the app.
 * Exit codes: 0 done, 2 usage or input refused, 3 API error, 4 audio device error, 1 anything else,
 * 130 stopped with Ctrl+C.
 */
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline/promises'
import { fileURLToPath } from 'node:url'
import { useDecodeWorkerScript } from '../core/audio/decode-off-thread'
import { playerFactory } from '../core/audio/player'
import { toUserError } from '../core/user-error'
import { parseCliArgs, USAGE, UsageError } from './args'
import { runAsk, runSay } from './ask-command'
import { runChat } from './chat-command'
import { runDictate } from './dictate-command'
import { createClient, loadSettings, requireKey, type CliIo } from './cli-context'
import { runDoctor } from './doctor-command'
import { describeError, EXIT, exitCodeFor } from './exit-codes'
import { runHistoryCommand } from './history-command'
import { runVoicesCommand } from './voices-command'
import { runTimers } from './tools-command'

export type { CliIo } from './cli-context'

// Built, the decode worker sits beside the command (vite.cli.config.ts); from source it is found by itself.
const builtWorker = join(dirname(fileURLToPath(import.meta.url)), 'decode-worker.mjs')
if (existsSync(builtWorker)) useDecodeWorkerScript(builtWorker)

function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env }
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    const parsed = parseCliArgs(argv)
    if (parsed.kind === 'help') {
      io.stdout.write(`${USAGE}\n`)
      return EXIT.ok
    }
    if (parsed.kind === 'voices') return await runVoices(parsed.argv, io)
    if (parsed.kind === 'history') return await runHistory(parsed.argv, io)
    const { options } = parsed
    switch (options.command) {
      case 'ask':
        return await runAsk(options, io)
      case 'say':
        return await runSay(options, io)
      case 'doctor':
        return await runDoctor(options, io)
      case 'timers':
        return await runTimers(options, loadSettings(options, io.env, (s) => void io.stderr.write(`${s}\n`)), io)
      case 'chat':
        return await runChat(options, io)
      case 'dictate':
        return await runDictate(options, io)
      default:
        return EXIT.usage
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`mimo-voice: ${err.message}\nRun \`mimo-voice --help\` for the options.\n`)
      return EXIT.usage
    }
    const error = toUserError(err)
    io.stderr.write(`${describeError(error)}\n`)
    return exitCodeFor(error)
  }
}

/** Asks yes/no on an interactive terminal; undefined when input is not one. */
function confirmer(io: CliIo): ((question: string) => Promise<boolean>) | undefined {
  if (!io.stdin.isTTY) return undefined
  return async (question) => {
    const rl = createInterface({ input: io.stdin, output: io.stderr })
    try {
      return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim())
    } finally {
      rl.close()
    }
  }
}

/** `mimo-voice history ...` (list, show, search, export, rm, clear). */
function runHistory(argv: string[], io: CliIo): Promise<number> {
  const options = { command: 'history' as const, text: [], mic: false, speak: true, json: false, thinking: false, webSearch: false, history: true, tools: false, yes: false }
  return runHistoryCommand(argv, {
    stdout: io.stdout,
    stderr: io.stderr,
    env: io.env,
    settings: () => loadSettings(options, io.env, (s) => void io.stderr.write(`${s}\n`)),
    confirm: confirmer(io)
  })
}

/** `mimo-voice voices ...` (list, add, design, rename, rm, preview, check). */
function runVoices(argv: string[], io: CliIo): Promise<number> {
  const options = { command: 'voices' as const, text: [], mic: false, speak: true, json: false, thinking: false, webSearch: false, history: true, tools: false, yes: false }
  const settings = () => loadSettings(options, io.env, (s) => void io.stderr.write(`${s}\n`))
  return runVoicesCommand(argv, {
    stdout: io.stdout,
    stderr: io.stderr,
    env: io.env,
    confirm: confirmer(io),
    preview: {
      client: async () => createClient(settings(), await requireKey(options, io, settings())),
      createSink: playerFactory(settings, { env: io.env }),
      settings
    }
  })
}
