/**
 * The command line's adapters for the core: settings read from the app's config file (never written),
 * overridden by MIMO_BASE_URL and flags; the API key by the rules of api-access.ts; the voice from
 * --voice / --clone / --design or the settings; the speaker, a WAV file or stdout as the sink.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { DEFAULT_SETTINGS, settingsFromStored, type Settings } from '../shared/settings'
import { BUILTIN_VOICES, MAX_SAMPLE_IMPORT_BYTES, type VoiceRef } from '../shared/voices'
import { prepareForUploadOffThread } from '../core/audio/decode-off-thread'
import { playerFactory, RawStreamSink, WavFileSink } from '../core/audio/player'
import { MimoClient } from '../core/mimo/client'
import { sniffAudioContainer, ttsRequest, type TtsVoice } from '../core/mimo/builders'
import { userDataDir } from '../core/app-paths'
import { readFileWithin } from '../core/bounded-read'
import { CONFIG_NAME, createConfSettingsStore } from '../core/settings/conf-settings-store'
import { migrateSettingsDocument } from '../core/settings/settings-migrations'
import { JsonFileVoiceMetadataStore } from '../core/voices/voice-metadata-store'
import { voicesDir, voicesMetadataPath } from '../core/voices/voice-paths'
import { VoiceStore } from '../core/voices/voice-store'
import { createVoiceResolver, fixedVoice, type VoiceResolver } from '../core/assistant/voice-resolver'
import type { SpeechSink } from '../core/assistant/speech-queue'
import type { AssistantDeps } from '../core/assistant/assistant'
import { UsageError, type CliOptions } from './args'
import type { CliTools } from './tools-command'
import { baseUrlForThisRun, checkBaseUrl, NO_KEY, readApiKey } from './api-access'

export interface CliIo {
  stdout: NodeJS.WritableStream
  stderr: NodeJS.WritableStream
  stdin: NodeJS.ReadableStream & { isTTY?: boolean }
  env: NodeJS.ProcessEnv
}

/** The app's settings when its config file exists, else the defaults; the flags win. */
export function loadSettings(options: CliOptions, env: NodeJS.ProcessEnv, warn: (s: string) => void): Settings {
  let settings: Settings = DEFAULT_SETTINGS
  const file = join(userDataDir({ env }), `${CONFIG_NAME}.json`)
  if (existsSync(file)) {
    try {
      const doc = migrateSettingsDocument(createConfSettingsStore({ env }).read()).doc
      settings = settingsFromStored(doc.settings)
    } catch (err) {
      warn(`Could not read the app's settings (${file}): ${(err as Error).message}. Using the defaults.`)
    }
  }
  const baseUrl = baseUrlForThisRun(options, env)
  return {
    ...settings,
    ...(options.model ? { chatModel: options.model } : {}),
    ...(options.thinking ? { thinking: true } : {}),
    ...(options.webSearch ? { webSearch: true } : {}),
    ...(baseUrl ? { baseUrl } : {}),
    ...(options.auth ? { authStyle: options.auth } : {}),
    ...(options.style !== undefined ? { speakingStyle: options.style } : {}),
    ...(options.uploadFormat ? { uploadFormat: options.uploadFormat } : {})
  }
}

/** The key for a request to the settings' base URL; refuses (UsageError) a missing key or an address not allowed for it. */
export async function requireKey(options: CliOptions, io: CliIo, settings: Settings): Promise<string> {
  checkBaseUrl(settings, options, io.env)
  const { key } = await readApiKey(options, io, (s) => void io.stderr.write(`${s}\n`))
  if (!key) throw new UsageError(NO_KEY)
  return key
}

export function createClient(settings: Settings, key: string): MimoClient {
  return new MimoClient({ baseUrl: settings.baseUrl, apiKey: key, auth: settings.authStyle })
}

export function openVoiceStore(env: NodeJS.ProcessEnv): VoiceStore {
  const dir = voicesDir({ env })
  return new VoiceStore({ dir, metadata: new JsonFileVoiceMetadataStore(voicesMetadataPath(dir)) })
}

/** An audio file the user named: a regular file of at most 60 MB, as the app's import allows. */
export function readInputFile(path: string, what: string): Promise<Buffer> {
  return readFileWithin(path, { what, maxBytes: MAX_SAMPLE_IMPORT_BYTES })
}

export async function readAudioFile(path: string): Promise<Buffer> {
  return readInputFile(path, 'The audio file')
}

/**
 * A spoken question or dictation given as a file: a WAV is judged by its header and decoded off the
 * main thread; a compressed file goes as it is, and the request's audio check decides.
 */
export async function readQuestionAudio(path: string): Promise<Buffer> {
  const file = await readAudioFile(path)
  return sniffAudioContainer(file) === 'wav' ? (await prepareForUploadOffThread(file)).bytes : file
}

export interface ChosenVoice {
  resolver: VoiceResolver
  /** The reference to resolve (the settings' voice unless a flag chose one). */
  ref: VoiceRef
  label: string
}

/** What `ask` and `chat` give the assistant from their flags: the voice chosen (if it speaks at all) and the tools. */
export function assistantFlags(
  options: CliOptions,
  settings: Settings,
  voice: ChosenVoice | undefined,
  tools: CliTools | undefined
): Pick<AssistantDeps, 'settings' | 'voices' | 'speak' | 'tools' | 'confirmTool'> {
  return {
    settings: () => (voice ? { ...settings, voice: voice.ref } : settings),
    voices: voice?.resolver ?? { resolve: async () => ({ kind: 'builtin', id: 'mimo_default' }) },
    speak: () => options.speak,
    ...(tools ? { tools: tools.source, confirmTool: (turnId, request) => tools.confirm(turnId, request) } : {})
  }
}

/** The voice the flags (or the settings) choose. Refuses a bad clone sample before any request. */
export async function chooseVoice(options: CliOptions, settings: Settings, env: NodeJS.ProcessEnv): Promise<ChosenVoice> {
  const placeholder: VoiceRef = { kind: 'builtin', id: 'mimo_default' }
  if (options.clone !== undefined) {
    const sample = await readInputFile(options.clone, 'The voice sample')
    const container = sniffAudioContainer(sample)
    if (container !== 'wav' && container !== 'mp3')
      throw new UsageError(`The voice sample "${options.clone}" is not a WAV or MP3 recording${container ? ` (it is ${container})` : ''}.`)
    const voice: TtsVoice = { kind: 'clone', sample }
    // The same checks the request would meet (size limit, container), made before anything is sent.
    ttsRequest({ text: 'check', voice })
    return { resolver: fixedVoice(voice), ref: placeholder, label: `clone of ${options.clone}` }
  }
  if (options.design !== undefined) {
    return { resolver: fixedVoice({ kind: 'design', description: options.design }), ref: placeholder, label: `designed: ${options.design}` }
  }
  const store = openVoiceStore(env)
  const resolver = createVoiceResolver({ resolve: (ref) => store.ttsVoice(ref) })
  if (options.voice !== undefined) {
    const wanted = options.voice.trim().toLowerCase()
    const builtin = BUILTIN_VOICES.find((v) => v.id.toLowerCase() === wanted || v.name.toLowerCase() === wanted)
    if (builtin) return { resolver, ref: { kind: 'builtin', id: builtin.id }, label: builtin.name }
    const saved = store.find(options.voice)
    if (saved) return { resolver, ref: { kind: saved.kind, id: saved.id }, label: saved.name }
    throw new UsageError(
      `There is no voice called "${options.voice}". Built-in voices: ${BUILTIN_VOICES.map((v) => v.id).join(', ')}; saved voices: mimo-voice voices`
    )
  }
  return { resolver, ref: settings.voice, label: settings.voice.kind === 'builtin' ? settings.voice.id : `saved voice ${settings.voice.id}` }
}

export interface SinkChoice {
  create: () => Promise<SpeechSink>
  realtime: boolean
  /** Where the reply text goes: stderr when stdout carries audio. */
  text: NodeJS.WritableStream
}

export function chooseSink(options: CliOptions, settings: Settings, io: CliIo): SinkChoice {
  if (options.out === '-') return { create: async () => new RawStreamSink(io.stdout), realtime: false, text: io.stderr }
  if (options.out !== undefined) {
    const path = options.out
    return { create: async () => new WavFileSink(path), realtime: false, text: io.stdout }
  }
  return {
    create: playerFactory(() => settings, { env: io.env }),
    realtime: true,
    text: io.stdout
  }
}
