/**
 * `mimo-voice voices ...`: list, add (with the sample checks), design, rename, remove and preview saved
 * voices. The voices live in the app's data folder (`voices/` with `voices.json`), so the app sees them too.
 */
import { basename } from 'node:path'
import type { Settings } from '../shared/settings'
import type { SampleQuality, VoiceInfo } from '../shared/voices'
import { BUILTIN_VOICES, MAX_SAMPLE_IMPORT_BYTES } from '../shared/voices'
import { readFileWithin } from '../core/bounded-read'
import { toUserError } from '../core/user-error'
import { exitCodeFor } from './exit-codes'
import { exitCodeForSignal, onStopSignal } from './stop-signals'
import type { MimoClient } from '../core/mimo/client'
import type { PcmSink } from '../core/audio/player'
import { ConsentRequiredError, SampleRefusedError, VoiceNotFoundError } from '../core/voices/errors'
import { checkSample } from '../core/voices/sample-quality'
import { JsonFileVoiceMetadataStore } from '../core/voices/voice-metadata-store'
import { voicesDir, voicesMetadataPath } from '../core/voices/voice-paths'
import { normalizeVoiceName } from '../core/voices/voice-record'
import { createVoiceService } from '../core/voices/voice-service'
import { requireUsable, VoiceStore } from '../core/voices/voice-store'

export interface TextOut {
  write(text: string): unknown
}

export interface VoicesCommandDeps {
  stdout: TextOut
  stderr: TextOut
  env?: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
  homedir?: string
  /** The voices folder; default: `voices/` in the app's data folder (MIMO_VOICE_DATA_DIR replaces that). */
  dir?: string
  /** Asks a yes/no question on an interactive terminal. Absent when input is not a terminal: then `--consent` is required. */
  confirm?: (question: string) => Promise<boolean>
  readFile?: (path: string) => Promise<Uint8Array>
  /** For `voices preview`: a client with the key and base URL, a speaker sink and the settings. */
  preview?: { client: () => Pick<MimoClient, 'chat'> | Promise<Pick<MimoClient, 'chat'>>; createSink: () => Promise<PcmSink>; settings: () => Settings }
}

export const VOICES_USAGE = `Usage:
  mimo-voice voices [list] [--json]            built-in and saved voices
  mimo-voice voices add NAME FILE [--consent] [--language en|zh] [--json]
                                               check a WAV or MP3 sample and save it as a cloned voice
  mimo-voice voices design NAME DESCRIPTION    save a voice made from a description
  mimo-voice voices rename NAME NEW_NAME
  mimo-voice voices rm NAME                    delete a saved voice (and its sample)
  mimo-voice voices preview NAME [TEXT]        speak a test sentence in a voice
  mimo-voice voices check FILE [--json]        only check a sample, save nothing

--consent confirms the sample is your voice, or that you have the speaker's permission
(asked interactively when input is a terminal). Voices are kept in %DIR%.
`

/** Exit codes: 0 done, 1 failed (files), 2 refused (usage, sample checks, consent), 3 MiMo API or network, 4 audio (damaged sample, speaker). */
export async function runVoicesCommand(argv: string[], deps: VoicesCommandDeps): Promise<number> {
  const out = (s: string): void => void deps.stdout.write(s.endsWith('\n') ? s : s + '\n')
  const err = (s: string): void => void deps.stderr.write(s.endsWith('\n') ? s : s + '\n')
  const dir = deps.dir ?? voicesDir({ env: deps.env, platform: deps.platform, homedir: deps.homedir })
  const store = new VoiceStore({ dir, metadata: new JsonFileVoiceMetadataStore(voicesMetadataPath(dir)) })
  const read = deps.readFile ?? ((path: string) => readFileWithin(path, { what: 'The sample', maxBytes: MAX_SAMPLE_IMPORT_BYTES }))

  const parsed = parseArgs(argv)
  if (typeof parsed === 'string') {
    err(parsed)
    err(VOICES_USAGE.replace('%DIR%', dir))
    return 2
  }
  const { args, flags } = parsed
  const [command = 'list', ...rest] = args

  try {
    switch (command) {
      case 'list':
      case 'ls': {
        const voices = [...builtinInfos(), ...(await store.list())]
        if (flags.json) out(JSON.stringify(voices, null, 2))
        else out(formatList(voices, dir))
        return 0
      }
      case 'check':
      case 'add': {
        const isAdd = command === 'add'
        const [name, file] = isAdd ? rest : [undefined, rest[0]]
        if (!file || (isAdd && !name) || rest.length > (isAdd ? 2 : 1)) return usage(`voices ${command} needs ${isAdd ? 'a NAME and a FILE' : 'a FILE'}.`)
        if (flags.language !== undefined && flags.language !== 'en' && flags.language !== 'zh') return usage('--language is en or zh.')
        // The name is checked first: no point measuring a sample that cannot be saved under it.
        if (isAdd) normalizeVoiceName(name as string, store.records())
        let bytes: Uint8Array
        try {
          bytes = await read(file)
        } catch (e) {
          err(`Could not read ${file}: ${(e as Error).message}`)
          return 1
        }
        const check = await checkSample(bytes, { fileName: basename(file) })
        if (flags.json) out(JSON.stringify(check.quality, null, 2))
        else out(formatQuality(check.quality))
        if (check.quality.refusals.length > 0) {
          err(`Refused: ${check.quality.refusals.join(' ')}`)
          return 2
        }
        if (!isAdd) return 0
        let consent = flags.consent === true
        if (!consent) {
          if (!deps.confirm) {
            err("Add --consent to confirm this is your voice, or that you have the speaker's permission.")
            return 2
          }
          consent = await deps.confirm("Is this your voice, or do you have the speaker's permission to clone it? [y/N] ")
          if (!consent) {
            err('Not saved: consent was not given.')
            return 2
          }
        }
        const record = await store.saveCheckedClone(requireUsable(check), name as string, consent, {
          ...(typeof flags.language === 'string' ? { language: flags.language } : {})
        })
        out(`Saved '${record.name}' (${record.durationSec?.toFixed(1)} s, ${check.quality.sampleRate} Hz mono) in ${dir}.`)
        return 0
      }
      case 'design': {
        const [name, ...words] = rest
        if (!name || words.length === 0) return usage('voices design needs a NAME and a DESCRIPTION.')
        const record = store.addDesign(name, words.join(' '))
        out(`Saved the designed voice '${record.name}'.`)
        return 0
      }
      case 'rename': {
        const [name, newName] = rest
        if (!name || !newName || rest.length > 2) return usage('voices rename needs a NAME and a NEW_NAME.')
        const record = savedByName(name)
        const renamed = store.rename(record.id, newName)
        out(`Renamed '${record.name}' to '${renamed.name}'.`)
        return 0
      }
      case 'rm':
      case 'remove':
      case 'delete': {
        const [name] = rest
        if (!name || rest.length > 1) return usage('voices rm needs the NAME of a saved voice.')
        const record = savedByName(name)
        await store.remove(record.id)
        out(`Deleted '${record.name}'${record.kind === 'clone' ? ' and its sample' : ''}.`)
        return 0
      }
      case 'preview': {
        const [name, ...words] = rest
        if (!name) return usage('voices preview needs the NAME of a voice.')
        if (!deps.preview) {
          err('Previewing needs the MiMo service: set MIMO_API_KEY (or --api-key) first.')
          return 1
        }
        const builtin = BUILTIN_VOICES.find((v) => v.id.toLowerCase() === name.toLowerCase() || v.name.toLowerCase() === name.toLowerCase())
        const ref = builtin ? ({ kind: 'builtin', id: builtin.id } as const) : (() => {
          const record = savedByName(name)
          return { kind: record.kind, id: record.id }
        })()
        const service = createVoiceService({
          store,
          client: await deps.preview.client(),
          createSink: deps.preview.createSink,
          settings: deps.preview.settings
        })
        // Ctrl+C or SIGTERM silences the speaker at once.
        const signals = onStopSignal(() => service.stopPreview())
        try {
          const result = await service.preview(ref, words.length > 0 ? words.join(' ') : undefined)
          out(`Played ${(result.durationMs / 1000).toFixed(1)} s of speech${result.stopped ? ', then stopped' : ''}.`)
          const signal = signals.received()
          return result.stopped && signal ? exitCodeForSignal(signal) : 0
        } finally {
          signals.off()
        }
      }
      case 'help':
        out(VOICES_USAGE.replace('%DIR%', dir))
        return 0
      default:
        return usage(`Unknown voices command '${command}'.`)
    }
  } catch (e) {
    const user = toUserError(e)
    err(user.message)
    if (user.hint) err(user.hint)
    return e instanceof SampleRefusedError || e instanceof ConsentRequiredError ? 2 : exitCodeFor(user)
  }

  function usage(message: string): number {
    err(message)
    err(VOICES_USAGE.replace('%DIR%', dir))
    return 2
  }

  function savedByName(name: string) {
    const record = store.find(name)
    if (!record) throw new VoiceNotFoundError(`named '${name}'`)
    return record
  }
}

interface Flags {
  json?: boolean
  consent?: boolean
  language?: string
}

function parseArgs(argv: string[]): { args: string[]; flags: Flags } | string {
  const args: string[] = []
  const flags: Flags = {}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--') {
      args.push(...argv.slice(i + 1))
      break
    }
    if (a === '--json') flags.json = true
    else if (a === '--consent' || a === '--yes') flags.consent = true
    else if (a === '--language' || a.startsWith('--language=')) {
      const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i]
      if (!value) return '--language needs a value (en or zh).'
      flags.language = value
    } else if (a === '--help' || a === '-h') args.splice(0, args.length, 'help')
    else if (a.startsWith('--')) return `Unknown option ${a}.`
    else args.push(a)
  }
  return { args, flags }
}

function builtinInfos(): VoiceInfo[] {
  return BUILTIN_VOICES.map((v) => ({ ref: { kind: 'builtin', id: v.id }, name: v.name, language: v.language }))
}

function formatList(voices: VoiceInfo[], dir: string): string {
  const lines: string[] = ['Built-in voices:']
  for (const v of voices.filter((v) => v.ref.kind === 'builtin')) lines.push(`  ${padColumn(v.ref.id, 14)} ${v.name}${v.language && v.language !== 'auto' ? ` (${v.language})` : ''}`)
  const saved = voices.filter((v) => v.ref.kind !== 'builtin')
  lines.push('', saved.length > 0 ? `Saved voices (${dir}):` : `No saved voices yet (${dir}). Add one with: mimo-voice voices add NAME FILE --consent`)
  for (const v of saved) {
    const detail = v.ref.kind === 'clone' ? `clone, ${v.durationSec?.toFixed(1) ?? '?'} s` : `design: ${v.description ?? ''}`
    lines.push(`  ${padColumn(v.name, 20)} ${detail}${v.problem ? `  [PROBLEM: ${v.problem}]` : ''}`)
  }
  return lines.join('\n')
}

/** Pads to a terminal width: Chinese characters take two columns. */
function padColumn(text: string, width: number): string {
  let columns = 0
  for (const ch of text) columns += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1
  return text + ' '.repeat(Math.max(0, width - columns))
}

/** The figures of a sample check, one per line, with the warnings and refusals. */
export function formatQuality(q: SampleQuality): string {
  const unavailable = new Set(q.unavailable ?? [])
  const fig = (key: keyof SampleQuality, label: string, value: string): string | null => (unavailable.has(key) ? null : `  ${label.padEnd(20)} ${value}`)
  const lines = [
    'Sample check:',
    q.inputFormat ? `  ${'input'.padEnd(20)} ${q.inputFormat.toUpperCase()}, ${q.inputSampleRate} Hz, ${q.channelsIn} channel${q.channelsIn === 1 ? '' : 's'}${q.inputBitsPerSample ? `, ${q.inputBitsPerSample}-bit` : ''}, ${q.inputDurationSec?.toFixed(2)} s` : null,
    fig('durationSec', 'speech kept', `${q.durationSec.toFixed(2)} s`),
    fig('sampleRate', 'saved as', `${q.sampleRate} Hz mono 16-bit WAV${q.resampled ? ' (resampled)' : ''}`),
    fig('trimmedLeadingSec', 'silence trimmed', `${q.trimmedLeadingSec.toFixed(2)} s at the start, ${q.trimmedTrailingSec.toFixed(2)} s at the end`),
    fig('rmsDbfs', 'speech loudness', `${q.rmsDbfs.toFixed(1)} dBFS (peak ${q.peakDbfs.toFixed(1)} dBFS)`),
    fig('noiseDbfs', 'noise estimate', `${q.noiseDbfs.toFixed(1)} dBFS${q.snrDb !== undefined ? ` (speech ${q.snrDb.toFixed(1)} dB above it)` : ''}`),
    fig('clippingShare', 'clipped samples', `${(q.clippingShare * 100).toFixed(3)} %`),
    fig('base64Bytes', 'size as sent', `${(q.base64Bytes / 1024).toFixed(0)} KB of 10240 KB`),
    ...q.warnings.map((w) => `  warning: ${w}`),
    ...q.refusals.map((r) => `  refused: ${r}`)
  ]
  if (unavailable.size > 0) lines.push(`  not measured: ${[...unavailable].join(', ')}`)
  return lines.filter((l): l is string => l !== null).join('\n')
}
