import { z } from 'zod'
import { parseAccelerator } from './accelerator'
import { baseUrlProblem } from './base-url'
import { DEFAULT_CHAT_MODEL, DEFAULT_TTS_MODEL, MAIN_BASE_URL } from './models'
import { builtinToolsSchema, DEFAULT_BUILTIN_TOOLS, mcpServersSchema, timeZoneSchema } from './tools'
import { HISTORY_RETENTIONS } from './history'
import { DEFAULT_VOICE, voiceRefSchema } from './voices'

export const DEFAULT_SYSTEM_PROMPT =
  'You are MiMo Voice, a voice assistant. Your answer will be spoken aloud: reply in short, natural spoken ' +
  'sentences, usually two or three, in the language the user spoke. No markdown, no lists, no code, no URLs, ' +
  'no emoji. Spell out numbers and units the way a person would say them.'

export const DEFAULT_QUICK_QUESTIONS = [
  'What time is it in Beijing right now, and what is the date?',
  'Give me a one-sentence motivational thought for today.',
  'Tell me a short, clean joke.',
  'Explain in two sentences what a large language model is.',
  '用一句话介绍一下小米MiMo。'
]

/** How a spoken question is sent: MP3 encoded while recording (compact), or WAV as recorded (lossless). */
export const uploadFormatSchema = z.enum(['compact', 'lossless'])
export type UploadFormat = z.infer<typeof uploadFormatSchema>

export const hotkeyModeSchema = z.enum(['hold', 'toggle', 'hybrid'])

/** The keystroke that pastes dictated text: 'auto' picks it from the focused window (terminals differ). */
export const pasteKeySchema = z.enum(['auto', 'ctrl-v', 'ctrl-shift-v', 'shift-insert'])
export type PasteKeySetting = z.infer<typeof pasteKeySchema>

/** Bounds of the conversation's end-of-turn pause. */
export const CONVERSATION_PAUSE_MS = { min: 500, max: 2000 } as const
export type HotkeyMode = z.infer<typeof hotkeyModeSchema>

const acceleratorSchema = z.string().superRefine((value, ctx) => {
  const parsed = parseAccelerator(value)
  if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed })
})

const baseUrlSchema = z
  .string()
  .trim()
  .superRefine((u, ctx) => {
    const problem = baseUrlProblem(u)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  })
  .transform((u) => u.replace(/\/+$/, ''))

/**
 * A sound device id as the recorder and player get it (PulseAudio source or sink names, ALSA names such as
 * plughw:CARD=PCH,DEV=0): no spaces, no quotes, and never a leading dash that a program would read as an option.
 */
export const AUDIO_DEVICE_ID_PATTERN = /^[A-Za-z0-9_.:,=@+][A-Za-z0-9_.:,=@+-]{0,299}$/
const deviceSchema = z.string().regex(AUDIO_DEVICE_ID_PATTERN, 'not a sound device name').nullable()

/** Every user setting. The API key is not here: it lives in the SecretStore. */
const settingsFields = {
  baseUrl: baseUrlSchema,
  authStyle: z.enum(['api-key', 'bearer']),
  chatModel: z.string().min(1).max(100),
  ttsModel: z.string().min(1).max(100),
  thinking: z.boolean(),
  webSearch: z.boolean(),
  systemPrompt: z.string().max(4000),
  speakingStyle: z.string().max(500),
  voice: voiceRefSchema,
  hotkey: acceleratorSchema,
  hotkeyMode: hotkeyModeSchema,
  quickQuestions: z.array(z.string().trim().min(1).max(300)).max(12),
  /** null: the system default. */
  inputDevice: deviceSchema,
  outputDevice: deviceSchema,
  maxRecordingSec: z.number().int().min(5).max(300),
  stopOnSilence: z.boolean(),
  silenceMs: z.number().int().min(500).max(5000),
  uploadFormat: uploadFormatSchema,
  volume: z.number().min(0).max(1),
  historyTurns: z.number().int().min(0).max(50),
  uiLanguage: z.enum(['system', 'en', 'zh']),
  firstRunDone: z.boolean(),
  /** The second shortcut: ask about the screen (hold or tap like the first). */
  screenHotkey: acceleratorSchema,
  /** Windows whose titles contain one of these (any case) are never sent as they are. */
  privateWindowTitles: z.array(z.string().trim().min(1).max(100)).max(30),
  /** blur: blurred in a screen capture; exclude: blacked out, and a capture of such a window is refused. */
  privateWindows: z.enum(['blur', 'exclude']),
  /** Built-in tools, each switchable off. */
  tools: builtinToolsSchema,
  /** The user's time zone for the clock tool and timers; null: the system's. */
  timeZone: timeZoneSchema.nullable(),
  /** How long one tool call may run. */
  toolTimeoutSec: z.number().int().min(1).max(300),
  /** MCP servers, in the `mcpServers` format; changed through their own calls, which ask the user first. */
  mcpServers: mcpServersSchema,
  /** Incognito: turns are not kept in the history. */
  incognito: z.boolean(),
  /** Keep each turn's recording and spoken answer (as MP3 beside the history). */
  keepAudio: z.boolean(),
  historyRetention: z.enum(HISTORY_RETENTIONS),
  /** Hands-free conversation: its own shortcut (null: only the talk shortcut's double tap, the button and the tray). */
  conversationHotkey: acceleratorSchema.nullable(),
  /** This much quiet after speech ends a turn. */
  conversationPauseMs: z.number().int().min(CONVERSATION_PAUSE_MS.min).max(CONVERSATION_PAUSE_MS.max),
  /** Speech over an answer stops it (headphones, or an echo-cancelled microphone). */
  conversationInterrupt: z.boolean(),
  /** The conversation ends after this long without speech. */
  conversationTimeoutSec: z.number().int().min(5).max(600),
  /** Dictation's shortcut (null: off). */
  dictationHotkey: acceleratorSchema.nullable(),
  /** Names and terms dictation spells exactly so. */
  dictationWords: z.array(z.string().trim().min(1).max(80)).max(200),
  dictationRemoveFillers: z.boolean(),
  dictationPasteKey: pasteKeySchema,
  /** Keep the microphone open while dictation is on, so the first word is never cut off. */
  dictationKeepMicOpen: z.boolean()
}
export const settingsSchema = z.object(settingsFields)
export type Settings = z.infer<typeof settingsSchema>

export const DEFAULT_SETTINGS: Settings = {
  baseUrl: MAIN_BASE_URL,
  authStyle: 'api-key',
  chatModel: DEFAULT_CHAT_MODEL,
  ttsModel: DEFAULT_TTS_MODEL,
  thinking: false,
  webSearch: false,
  systemPrompt: DEFAULT_SYSTEM_PROMPT,
  speakingStyle: '',
  voice: DEFAULT_VOICE,
  hotkey: 'CommandOrControl+Alt+Space',
  hotkeyMode: 'hybrid',
  quickQuestions: DEFAULT_QUICK_QUESTIONS,
  inputDevice: null,
  outputDevice: null,
  maxRecordingSec: 60,
  stopOnSilence: true,
  silenceMs: 1500,
  uploadFormat: 'compact',
  volume: 1,
  historyTurns: 10,
  uiLanguage: 'system',
  firstRunDone: false,
  screenHotkey: 'CommandOrControl+Alt+Shift+Space',
  privateWindowTitles: ['1Password', 'Bitwarden', 'KeePass', 'LastPass', 'Keychain Access', 'Password'],
  privateWindows: 'blur',
  tools: DEFAULT_BUILTIN_TOOLS,
  timeZone: null,
  toolTimeoutSec: 20,
  mcpServers: {},
  incognito: false,
  keepAudio: false,
  historyRetention: 'forever',
  conversationHotkey: null,
  conversationPauseMs: 800,
  conversationInterrupt: false,
  conversationTimeoutSec: 30,
  dictationHotkey: 'CommandOrControl+Alt+D',
  dictationWords: [],
  dictationRemoveFillers: false,
  dictationPasteKey: 'auto',
  dictationKeepMicOpen: true
}

/**
 * A change from the UI: any subset, each field validated; one bad field refuses the whole patch.
 * MCP servers are not here: a server runs a program, so adding one goes through its own call, which
 * the user confirms outside the window.
 */
export const settingsPatchSchema = z.object(settingsFields).omit({ mcpServers: true }).partial().strict()
export type SettingsPatch = z.infer<typeof settingsPatchSchema>

/**
 * Reads stored settings: every valid stored field is kept, every missing or invalid one falls back to
 * its default, so a damaged or older settings file never stops the app.
 */
export function settingsFromStored(stored: unknown): Settings {
  const out: Record<string, unknown> = { ...DEFAULT_SETTINGS }
  if (stored && typeof stored === 'object') {
    for (const [key, schema] of Object.entries(settingsFields)) {
      const value = (stored as Record<string, unknown>)[key]
      if (value === undefined) continue
      const parsed = (schema as z.ZodTypeAny).safeParse(value)
      if (parsed.success) out[key] = parsed.data
    }
  }
  return out as Settings
}

/** Where the API key is kept, as the settings page explains it. */
export type KeyStorage = 'os-keychain' | 'plaintext-obfuscated' | 'unavailable' | 'environment'

/** What the renderer may know of the key: whether it is set and its last four characters. */
export interface KeyStatus {
  set: boolean
  last4?: string
  storage: KeyStorage
}

/** A key test that passed: how long MiMo took to answer, and the model that answered. */
export interface KeyTestResult {
  latencyMs: number
  model: string
}
