/** The command line of `mimo-voice`: parsed with node:util parseArgs, checked before anything runs. */
import { parseArgs } from 'node:util'

export const USAGE = `Usage: mimo-voice <command> [options]

Commands:
  ask [TEXT...]        one question, answered aloud: typed TEXT (or text on stdin),
                       --audio FILE (wav/mp3/ogg/flac/m4a), --mic (record until Enter), or --quick N
                       (the Nth quick question of the settings; --quick list shows them)
  say TEXT...          speak the text
  voices [...]         built-in and saved voices (mimo-voice voices --help)
  doctor               check the key, the API, the recorder, the player and the microphone

Voice:
  --voice NAME         a built-in voice (mimo_default, 冰糖, 茉莉, 苏打, 白桦, Mia, Chloe, Milo, Dean)
                       or a saved voice's name
  --clone FILE         clone the voice in a wav/mp3 sample (5-30 s of clean speech)
  --design "TEXT"      a voice made from a description
  --style "TEXT"       a speaking-style direction, e.g. "Cheerful and quick."

Output:
  --out FILE.wav       write the speech to a WAV file instead of the speaker
  --out -              raw PCM16 24 kHz mono on stdout (all text then goes to stderr)
  --no-speak           answer in text only
  --json               one JSON object at the end: reply, transcript, timings, usage

Model and service:
  --model M            chat model (default from settings: mimo-v2.5)
  --thinking           let the model think before answering (slower first word)
  --web-search         let the model search the web
  --upload-format compact|lossless
                       how a spoken question is sent: MP3, about 8 times smaller (default
                       from settings: compact), or WAV as recorded; compressed files go as they are
  --base-url URL       e.g. https://api.xiaomimimo.com/v1 or https://token-plan-sgp.xiaomimimo.com/v1
  --api-key KEY        else MIMO_API_KEY
  --auth api-key|bearer
  -h, --help

Exit codes: 0 done, 2 usage or input refused, 3 API error, 4 audio device error, 1 anything else.
Settings (voice, model, base URL, devices) come from the MiMo Voice app's settings when present.`

export type Command = 'ask' | 'say' | 'voices' | 'doctor'

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
  model?: string
  thinking: boolean
  webSearch: boolean
  baseUrl?: string
  apiKey?: string
  auth?: 'api-key' | 'bearer'
  uploadFormat?: 'compact' | 'lossless'
}

export type ParsedArgs = { kind: 'help' } | { kind: 'voices'; argv: string[] } | { kind: 'run'; options: CliOptions }

/** A command line that cannot run: exit 2 with the usage text. */
export class UsageError extends Error {
  override name = 'UsageError'
}

const COMMANDS: readonly Command[] = ['ask', 'say', 'voices', 'doctor']

export function parseCliArgs(argv: string[]): ParsedArgs {
  const [first, ...rest] = argv
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') return { kind: 'help' }
  if (!COMMANDS.includes(first as Command)) throw new UsageError(`Unknown command "${first}".`)
  const command = first as Command
  // The voices command has its own options (add, design, rm, ...).
  if (command === 'voices') return { kind: 'voices', argv: rest }

  let parsed: ReturnType<typeof parseOptions>
  try {
    parsed = parseOptions(rest)
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
    model: v.model,
    thinking: v.thinking ?? false,
    webSearch: v['web-search'] ?? false,
    baseUrl: v['base-url'],
    apiKey: v['api-key'],
    auth: undefined,
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
  if (v['base-url'] !== undefined) {
    try {
      const url = new URL(v['base-url'])
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http')
    } catch {
      throw new UsageError(`--base-url must be a full http(s) address, such as https://api.xiaomimimo.com/v1 (got "${v['base-url']}").`)
    }
  }

  switch (command) {
    case 'ask': {
      const inputs = [options.text.length > 0, options.audio !== undefined, options.mic, options.quick !== undefined].filter(Boolean).length
      if (inputs > 1) throw new UsageError('Ask with one of: TEXT, --audio FILE, --mic or --quick N.')
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
    default:
      break
  }
  return { kind: 'run', options }
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
      json: { type: 'boolean' },
      model: { type: 'string' },
      thinking: { type: 'boolean' },
      'web-search': { type: 'boolean' },
      'base-url': { type: 'string' },
      'api-key': { type: 'string' },
      auth: { type: 'string' },
      'upload-format': { type: 'string' },
      help: { type: 'boolean', short: 'h' }
    }
  })
}
