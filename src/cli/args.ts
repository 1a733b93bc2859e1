/** The command line of `mimo-voice`: parsed with node:util parseArgs, checked before anything runs. */
import { parseArgs } from 'node:util'
import { baseUrlProblem } from '../shared/base-url'

export const USAGE = `Usage: mimo-voice <command> [options]

Commands:
  ask [TEXT...]        one question, answered aloud: typed TEXT (or text on stdin),
                       --audio FILE (wav/mp3/ogg/flac/m4a), --mic (record until Enter), or --quick N
                       (the Nth quick question of the settings; --quick list shows them)
                       With it, what to look at: --screen, --window, --selection,
                       --clipboard, --image FILE (see Context)
  say TEXT...          speak the text
  chat --mic           a hands-free conversation: speak, pause, hear the answer, speak again;
                       ends on "goodbye" (or "stop", "再见"), a long silence, Enter or Ctrl+C
  dictate --mic        dictation: speak, and the words are printed (Enter or a pause ends it);
                       --type also types them where the cursor is; --audio FILE dictates a file
  voices [...]         built-in and saved voices (mimo-voice voices --help)
  timers [list]        timers and reminders not yet gone off (--json for JSON)
  timers cancel ID     cancel one
  history [...]        kept conversations: list, show, search, export, rm, clear
                       (mimo-voice history --help)
  doctor               check the key, the API, the recorder, the player and the microphone

Voice:
  --voice NAME         a built-in voice (mimo_default, 冰糖, 茉莉, 苏打, 白桦, Mia, Chloe, Milo, Dean)
                       or a saved voice's name
  --clone FILE         clone the voice in a wav/mp3 sample (5-30 s of clean speech)
  --design "TEXT"      a voice made from a description
  --style "TEXT"       a speaking-style direction, e.g. "Cheerful and quick."

Context (ask: sent with the question; chat: --screen, --window, --selection and --clipboard
with every turn, taken when it is asked, --image with the first; mimo-v2.5 looks at images):
  --screen             the screen the pointer is on
  --window             the window under the pointer
  --selection          the selected text (PRIMARY selection on Linux, else the clipboard)
  --clipboard          the text on the clipboard
  --image FILE         an image file (PNG, JPEG, WebP, GIF); repeat for more

Conversation:
  --continue [ID]      go on with the latest kept conversation (or conversation ID):
                       its turns are sent as the history
  --no-history         keep no trace in the history (ask, chat, dictate)

Output:
  --out FILE.wav       write the speech to a WAV file instead of the speaker
  --out -              raw PCM16 24 kHz mono on stdout (all text then goes to stderr)
  --no-speak           answer in text only
  --json               one JSON object at the end: reply, transcript, tool calls, timings, usage
                       (chat: one per turn; dictate: the text, how it was inserted, timings)
  --type               dictate: paste the text into the focused window (the clipboard is put back)

Tools (ask, chat):
  --tools              let the model use the built-in tools (timers, clock, open a web address,
                       clipboard) as switched on in the settings
  --mcp FILE           and the tools of the MCP servers in FILE (the mcpServers JSON other clients use)
  --yes                allow tool calls that ask first (destructive or "ask first" tools) without asking
                       (chat cannot ask: without --yes such calls are refused, saying so)

Model and service:
  --model M            chat model (default from settings: mimo-v2.5)
  --thinking           let the model think before answering (slower first word)
  --web-search         let the model search the web
  --upload-format compact|lossless
                       how speech (a question, a dictation) is sent: MP3, about 8 times smaller (default
                       from settings: compact), or WAV as recorded; compressed files go as they are
  --base-url URL       e.g. https://api.xiaomimimo.com/v1 or https://token-plan-sgp.xiaomimimo.com/v1
                       (else MIMO_BASE_URL, else the app's settings when they name a MiMo host)
  --api-key-file FILE  the key on the first line of FILE; - reads it from stdin
  --api-key KEY        discouraged: other users see it in ps (else MIMO_API_KEY)
  --auth api-key|bearer
  -h, --help

Exit codes: 0 done, 2 usage or input refused, 3 API error, 4 audio device error, 1 anything else.
Settings (voice, model, base URL, devices) come from the MiMo Voice app's settings when present.`

export type Command = 'ask' | 'say' | 'voices' | 'history' | 'doctor' | 'timers' | 'chat' | 'dictate'

export interface CliOptions {
  command: Command
  text: string[]
  audio?: string
  /** 1-based index into settings.quickQuestions, or 'list'. */
  quick?: number | 'list'
  mic: boolean
  voice?: string
  clone?: string
  design?: string
  style?: string
  out?: string
  speak: boolean
  json: boolean
  /** dictate: insert the text where the cursor is. */
  type?: boolean
  model?: string
  thinking: boolean
  webSearch: boolean
  baseUrl?: string
  apiKey?: string
  /** A file holding the key, or '-' for stdin. */
  apiKeyFile?: string
  auth?: 'api-key' | 'bearer'
  /** Context for ask: image files, and what to capture when the question is asked. */
  images?: string[]
  screen?: boolean
  window?: boolean
  selection?: boolean
  clipboard?: boolean
  /** The built-in tools. */
  tools: boolean
  /** An mcpServers JSON file. */
  mcp?: string
  /** Allow calls that ask first. */
  yes: boolean
  /** ask: go on with a kept conversation ('latest', or its id). */
  continue?: number | 'latest'
  /** false: the turn leaves no trace in the history. */
  history: boolean
  uploadFormat?: 'compact' | 'lossless'
}

export type ParsedArgs =
  | { kind: 'help' }
  | { kind: 'voices'; argv: string[] }
  | { kind: 'history'; argv: string[] }
  | { kind: 'run'; options: CliOptions }

/** A command line that cannot run: exit 2 with the usage text. */
export class UsageError extends Error {
  override name = 'UsageError'
}

const COMMANDS: readonly Command[] = ['ask', 'say', 'voices', 'history', 'doctor', 'timers', 'chat', 'dictate']

export function parseCliArgs(argv: string[]): ParsedArgs {
  const [first, ...rest] = argv
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') return { kind: 'help' }
  if (!COMMANDS.includes(first as Command)) throw new UsageError(`Unknown command "${first}".`)
  const command = first as Command
  // The voices command has its own options (add, design, rm, ...).
  if (command === 'voices') return { kind: 'voices', argv: rest }
  if (command === 'history') return { kind: 'history', argv: rest }

  const { argv: remaining, continueWith } = takeContinue(rest)
  let parsed: ReturnType<typeof parseOptions>
  try {
    parsed = parseOptions(remaining)
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''))
  }
  const v = parsed.values
  if (v.help) return { kind: 'help' }

  const options: CliOptions = {
    command,
    text: parsed.positionals,
    audio: v.audio,
    quick: undefined,
    mic: v.mic ?? false,
    voice: v.voice,
    clone: v.clone,
    design: v.design,
    style: v.style,
    out: v.out,
    speak: !v['no-speak'],
    json: v.json ?? false,
    ...(v.type ? { type: true } : {}),
    model: v.model,
    thinking: v.thinking ?? false,
    webSearch: v['web-search'] ?? false,
    baseUrl: v['base-url'],
    apiKey: v['api-key'],
    apiKeyFile: v['api-key-file'],
    auth: undefined,
    images: v.image ?? [],
    screen: v.screen ?? false,
    window: v.window ?? false,
    selection: v.selection ?? false,
    clipboard: v.clipboard ?? false,
    tools: v.tools ?? false,
    mcp: v.mcp,
    yes: v.yes ?? false,
    continue: continueWith,
    history: !v['no-history'],
    uploadFormat: undefined
  }
  if (v.quick !== undefined) {
    if (v.quick === 'list') options.quick = 'list'
    else if (/^\d{1,2}$/.test(v.quick) && Number(v.quick) >= 1) options.quick = Number(v.quick)
    else throw new UsageError(`--quick takes a number (1, 2, ...) or "list", not "${v.quick}".`)
  }
  if (v.auth !== undefined) {
    if (v.auth !== 'api-key' && v.auth !== 'bearer') throw new UsageError(`--auth takes "api-key" or "bearer", not "${v.auth}".`)
    options.auth = v.auth
  }
  if (v['upload-format'] !== undefined) {
    if (v['upload-format'] !== 'compact' && v['upload-format'] !== 'lossless')
      throw new UsageError(`--upload-format takes "compact" or "lossless", not "${v['upload-format']}".`)
    options.uploadFormat = v['upload-format']
  }
  const voiceFlags = [v.voice, v.clone, v.design].filter((x) => x !== undefined)
  if (voiceFlags.length > 1) throw new UsageError('Choose one of --voice, --clone and --design.')
  if (v.design !== undefined && !v.design.trim()) throw new UsageError('--design needs a description of the voice.')
  if (v.out !== undefined && !v.out.trim()) throw new UsageError('--out needs a file name, or - for stdout.')
  if (v.out !== undefined && v['no-speak']) throw new UsageError('--out and --no-speak cannot go together.')
  if (v.mcp !== undefined && !v.mcp.trim()) throw new UsageError('--mcp needs a file: an mcpServers JSON such as {"mcpServers": {"files": {"command": "npx", "args": [...]}}}.')
  if (command !== 'ask' && command !== 'chat' && (v.tools || v.mcp !== undefined || v.yes)) throw new UsageError('--tools, --mcp and --yes belong to ask and chat.')
  if (command !== 'ask' && command !== 'chat' && (v.image?.length || v.screen || v.window || v.selection || v.clipboard))
    throw new UsageError('--screen, --window, --selection, --clipboard and --image belong to ask and chat.')
  if (v['base-url'] !== undefined) {
    const problem = baseUrlProblem(v['base-url'])
    if (problem) throw new UsageError(`--base-url "${v['base-url']}": ${problem}`)
  }
  if (v['api-key'] !== undefined && v['api-key-file'] !== undefined) throw new UsageError('Choose one of --api-key and --api-key-file.')

  if (command !== 'ask' && options.continue !== undefined) throw new UsageError('--continue belongs to ask.')
  if (!['ask', 'chat', 'dictate'].includes(command) && !options.history) throw new UsageError('--no-history belongs to ask, chat and dictate.')
  if (options.continue !== undefined && !options.history) throw new UsageError('--continue and --no-history cannot go together: a continued conversation is kept.')

  switch (command) {
    case 'ask': {
      const inputs = [options.text.length > 0, options.audio !== undefined, options.mic, options.quick !== undefined].filter(Boolean).length
      if (inputs > 1) throw new UsageError('Ask with one of: TEXT, --audio FILE, --mic or --quick N.')
      // Stdin can carry the key or the question (or the Enter that ends a recording), not both.
      if (options.apiKeyFile === '-' && (inputs === 0 || options.mic))
        throw new UsageError('--api-key-file - reads the key from stdin: give the question as TEXT, --audio FILE or --quick N.')
      break
    }
    case 'say':
      if (!options.text.join(' ').trim()) throw new UsageError('say needs the TEXT to speak.')
      if (options.audio !== undefined || options.mic || options.quick !== undefined || options.uploadFormat !== undefined)
        throw new UsageError('--audio, --mic, --quick and --upload-format belong to ask.')
      if (!options.speak) throw new UsageError('say with --no-speak would do nothing.')
      break
    case 'doctor':
      if (options.text.length) throw new UsageError(`doctor takes no arguments (got "${options.text.join(' ')}").`)
      break
    case 'timers': {
      const [what = 'list', id, ...extra] = options.text
      if (what === 'list' && id === undefined) break
      if (what === 'cancel' && id && extra.length === 0) break
      throw new UsageError('Use: mimo-voice timers [list] | mimo-voice timers cancel ID')
    }
    case 'chat':
      if (!options.mic) throw new UsageError('chat listens to the microphone: mimo-voice chat --mic')
      if (options.text.length || options.audio !== undefined || options.quick !== undefined) throw new UsageError('chat takes its questions from the microphone only.')
      if (options.out !== undefined) throw new UsageError('chat speaks to the speaker; --out belongs to ask and say.')
      break
    case 'dictate':
      if (options.mic === (options.audio !== undefined)) throw new UsageError('Dictate with one of: --mic or --audio FILE.')
      if (options.text.length || options.quick !== undefined) throw new UsageError(`dictate takes no text (got "${options.text.join(' ')}").`)
      break
    default:
      break
  }
  if (options.type && command !== 'dictate') throw new UsageError('--type belongs to dictate.')
  return { kind: 'run', options }
}

/**
 * `--continue` takes an optional conversation ID: `--continue 12`, `--continue=12`, or `--continue`
 * alone for the latest. A number right after it is the ID (a question that is only a number goes after `--`).
 */
function takeContinue(args: string[]): { argv: string[]; continueWith?: number | 'latest' } {
  const argv: string[] = []
  let continueWith: number | 'latest' | undefined
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === '--') {
      argv.push(...args.slice(i))
      break
    }
    if (a !== '--continue' && !a.startsWith('--continue=')) {
      argv.push(a)
      continue
    }
    if (continueWith !== undefined) throw new UsageError('--continue is given twice.')
    const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : /^\d+$/.test(args[i + 1] ?? '') ? args[++i] : undefined
    if (value === undefined) continueWith = 'latest'
    else if (/^\d{1,15}$/.test(value) && Number(value) >= 1) continueWith = Number(value)
    else throw new UsageError(`--continue takes a conversation ID (a number from mimo-voice history list), not "${value}".`)
  }
  return { argv, continueWith }
}

function parseOptions(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      audio: { type: 'string' },
      mic: { type: 'boolean' },
      quick: { type: 'string' },
      voice: { type: 'string' },
      clone: { type: 'string' },
      design: { type: 'string' },
      style: { type: 'string' },
      out: { type: 'string', short: 'o' },
      'no-speak': { type: 'boolean' },
      image: { type: 'string', multiple: true },
      screen: { type: 'boolean' },
      window: { type: 'boolean' },
      selection: { type: 'boolean' },
      clipboard: { type: 'boolean' },
      'no-history': { type: 'boolean' },
      json: { type: 'boolean' },
      type: { type: 'boolean' },
      model: { type: 'string' },
      thinking: { type: 'boolean' },
      'web-search': { type: 'boolean' },
      'base-url': { type: 'string' },
      'api-key': { type: 'string' },
      'api-key-file': { type: 'string' },
      auth: { type: 'string' },
      tools: { type: 'boolean' },
      mcp: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
      'upload-format': { type: 'string' },
      help: { type: 'boolean', short: 'h' }
    }
  })
}
