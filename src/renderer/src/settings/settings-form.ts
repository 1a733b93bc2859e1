/**
 * The settings form as plain data: the values the inputs show (text for numbers, a preset id for
 * the base URL), and the patch they make. Only fields the user edited are compared, and the patch
 * is checked with the same `settingsPatchSchema` the main side uses: one bad field, no patch.
 */
import { BASE_URL_PRESETS } from '../../../shared/models'
import { settingsPatchSchema, type HotkeyMode, type PasteKeySetting, type Settings, type SettingsPatch } from '../../../shared/settings'
import type { BuiltinToolSwitches } from '../../../shared/tools'

export const CUSTOM_BASE_URL = 'custom'

/** Input ranges; the schema stays the judge, these only label the inputs and word the errors. */
export const NUMBER_RANGES = {
  maxRecordingSec: { min: 5, max: 300 },
  silenceMs: { min: 500, max: 5000 },
  historyTurns: { min: 0, max: 50 },
  toolTimeoutSec: { min: 1, max: 300 },
  conversationPauseMs: { min: 500, max: 2000 },
  conversationTimeoutSec: { min: 5, max: 600 }
} as const
export const MAX_QUICK_QUESTIONS = 12

export interface FormValues {
  baseUrlPreset: string
  baseUrlCustom: string
  authStyle: Settings['authStyle']
  chatModel: string
  ttsModel: string
  thinking: boolean
  webSearch: boolean
  systemPrompt: string
  speakingStyle: string
  hotkey: string
  hotkeyMode: HotkeyMode
  quickQuestions: string[]
  /** '' is the system default. */
  inputDevice: string
  outputDevice: string
  maxRecordingSec: string
  stopOnSilence: boolean
  silenceMs: string
  uploadFormat: Settings['uploadFormat']
  /** 0..100 */
  volume: number
  historyTurns: string
  uiLanguage: Settings['uiLanguage']
  screenHotkey: string
  /** One title word per line. */
  privateWindowTitles: string
  privateWindows: Settings['privateWindows']
  tools: BuiltinToolSwitches
  /** '' is the system's time zone. */
  timeZone: string
  toolTimeoutSec: string
  /** '' is no shortcut of its own. */
  conversationHotkey: string
  conversationPauseMs: string
  conversationInterrupt: boolean
  conversationTimeoutSec: string
  /** '' turns dictation's shortcut off. */
  dictationHotkey: string
  /** One name or term per line. */
  dictationWords: string
  dictationRemoveFillers: boolean
  dictationPasteKey: PasteKeySetting
  dictationKeepMicOpen: boolean
}

export type FormField = keyof FormValues
/**
 * The settings the form edits (the voice has its own view, the history's privacy switches theirs, MCP
 * servers their own calls; firstRunDone is the first-run page's).
 */
export type EditableSetting = Exclude<keyof Settings, 'voice' | 'firstRunDone' | 'incognito' | 'keepAudio' | 'historyRetention' | 'mcpServers'>

const FIELD_SETTING: Record<FormField, EditableSetting> = {
  baseUrlPreset: 'baseUrl',
  baseUrlCustom: 'baseUrl',
  authStyle: 'authStyle',
  chatModel: 'chatModel',
  ttsModel: 'ttsModel',
  thinking: 'thinking',
  webSearch: 'webSearch',
  systemPrompt: 'systemPrompt',
  speakingStyle: 'speakingStyle',
  hotkey: 'hotkey',
  hotkeyMode: 'hotkeyMode',
  quickQuestions: 'quickQuestions',
  inputDevice: 'inputDevice',
  outputDevice: 'outputDevice',
  maxRecordingSec: 'maxRecordingSec',
  stopOnSilence: 'stopOnSilence',
  silenceMs: 'silenceMs',
  uploadFormat: 'uploadFormat',
  volume: 'volume',
  historyTurns: 'historyTurns',
  uiLanguage: 'uiLanguage',
  screenHotkey: 'screenHotkey',
  privateWindowTitles: 'privateWindowTitles',
  privateWindows: 'privateWindows',
  tools: 'tools',
  timeZone: 'timeZone',
  toolTimeoutSec: 'toolTimeoutSec',
  conversationHotkey: 'conversationHotkey',
  conversationPauseMs: 'conversationPauseMs',
  conversationInterrupt: 'conversationInterrupt',
  conversationTimeoutSec: 'conversationTimeoutSec',
  dictationHotkey: 'dictationHotkey',
  dictationWords: 'dictationWords',
  dictationRemoveFillers: 'dictationRemoveFillers',
  dictationPasteKey: 'dictationPasteKey',
  dictationKeepMicOpen: 'dictationKeepMicOpen'
}

export function presetIdFor(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, '')
  return BASE_URL_PRESETS.find((p) => p.url === trimmed)?.id ?? CUSTOM_BASE_URL
}

export function formValuesFrom(s: Settings): FormValues {
  return {
    baseUrlPreset: presetIdFor(s.baseUrl),
    baseUrlCustom: s.baseUrl,
    authStyle: s.authStyle,
    chatModel: s.chatModel,
    ttsModel: s.ttsModel,
    thinking: s.thinking,
    webSearch: s.webSearch,
    systemPrompt: s.systemPrompt,
    speakingStyle: s.speakingStyle,
    hotkey: s.hotkey,
    hotkeyMode: s.hotkeyMode,
    quickQuestions: [...s.quickQuestions],
    inputDevice: s.inputDevice ?? '',
    outputDevice: s.outputDevice ?? '',
    maxRecordingSec: String(s.maxRecordingSec),
    stopOnSilence: s.stopOnSilence,
    silenceMs: String(s.silenceMs),
    uploadFormat: s.uploadFormat,
    volume: Math.round(s.volume * 100),
    historyTurns: String(s.historyTurns),
    uiLanguage: s.uiLanguage,
    screenHotkey: s.screenHotkey,
    privateWindowTitles: s.privateWindowTitles.join('\n'),
    privateWindows: s.privateWindows,
    tools: { ...s.tools },
    timeZone: s.timeZone ?? '',
    toolTimeoutSec: String(s.toolTimeoutSec),
    conversationHotkey: s.conversationHotkey ?? '',
    conversationPauseMs: String(s.conversationPauseMs),
    conversationInterrupt: s.conversationInterrupt,
    conversationTimeoutSec: String(s.conversationTimeoutSec),
    dictationHotkey: s.dictationHotkey ?? '',
    dictationWords: s.dictationWords.join('\n'),
    dictationRemoveFillers: s.dictationRemoveFillers,
    dictationPasteKey: s.dictationPasteKey,
    dictationKeepMicOpen: s.dictationKeepMicOpen
  }
}

/** Text from a number input; blank is not zero. */
function numberFrom(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text)
}

function settingValue(v: FormValues, key: EditableSetting): unknown {
  switch (key) {
    case 'baseUrl': {
      const preset = BASE_URL_PRESETS.find((p) => p.id === v.baseUrlPreset)
      return preset ? preset.url : v.baseUrlCustom
    }
    case 'inputDevice':
      return v.inputDevice === '' ? null : v.inputDevice
    case 'outputDevice':
      return v.outputDevice === '' ? null : v.outputDevice
    case 'maxRecordingSec':
    case 'silenceMs':
    case 'historyTurns':
    case 'toolTimeoutSec':
      return numberFrom(v[key])
    case 'timeZone':
      return v.timeZone.trim() === '' ? null : v.timeZone
    case 'conversationPauseMs':
    case 'conversationTimeoutSec':
      return numberFrom(v[key])
    case 'conversationHotkey':
    case 'dictationHotkey':
      return v[key].trim() === '' ? null : v[key].trim()
    case 'dictationWords':
      return v.dictationWords
        .split('\n')
        .map((w) => w.trim())
        .filter(Boolean)
    case 'volume':
      return v.volume / 100
    case 'privateWindowTitles':
      return v.privateWindowTitles
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
    default:
      return v[key]
  }
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

export interface FormCheck {
  /** Only the changed settings, parsed; empty when nothing changed or something is invalid. */
  patch: SettingsPatch
  /** Errors by path: 'hotkey', 'baseUrl', 'quickQuestions', 'quickQuestions.2' ... */
  errors: Record<string, string>
  /** Settings the user changed (valid or not). */
  changed: EditableSetting[]
}

/** Checks the fields the user edited against the settings they started from. */
export function checkForm(values: FormValues, settings: Settings, edited: Iterable<FormField>): FormCheck {
  const keys = new Set<EditableSetting>()
  for (const field of edited) keys.add(FIELD_SETTING[field])
  const raw: Record<string, unknown> = {}
  for (const key of keys) {
    const value = settingValue(values, key)
    if (!same(value, settings[key])) raw[key] = value
  }
  const changed = Object.keys(raw) as EditableSetting[]
  const parsed = settingsPatchSchema.safeParse(raw)
  if (!parsed.success) {
    const errors: Record<string, string> = {}
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join('.')
      errors[path] ??= issue.message
    }
    return { patch: {}, errors, changed }
  }
  // Parsing normalizes (trims, drops a trailing slash): a field that normalizes back to what is saved is no change.
  const patch: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(parsed.data)) {
    if (!same(value, settings[key as EditableSetting])) patch[key] = value
  }
  return { patch: patch as SettingsPatch, errors: {}, changed }
}
