/**
 * The one IPC contract between the window and the main process.
 *
 * - `invokeSchemas`: every renderer -> main call, with the zod schema of its payload. The main side
 *   validates each payload against it (and checks the sender) before any service runs; the preload
 *   builds one `window.api` function per channel from this same list.
 * - `InvokeResults`: what each call returns, always wrapped in `Result` (errors are values).
 * - `Events` / `eventSchemas`: main -> renderer pushes.
 *
 * Nothing here imports node or electron: the renderer bundles this file.
 */
import { z } from 'zod'
import type { AssistantSnapshot, AssistantState, LevelReading, ReplyDelta, TurnView } from './assistant'
import type { AudioDevices, DoctorReport, MicTestResult } from './audio'
import { MAX_IMAGE_FILE_BYTES, type NextContext } from './context'
import type { Result, UserError } from './errors'
import type { ConversationDetail, ConversationPage, ConversationSummary, ExportResult, HistoryStatus, SearchHit } from './history'
import type { ConversationState, Dictation, DictationState, ModesSnapshot } from './modes'
import { settingsPatchSchema, type KeyStatus, type KeyTestResult, type Settings } from './settings'
import { mcpServerNameSchema, type McpServers, type McpServerStatus, type TimerView, type ToolConfirmation } from './tools'
import {
  MAX_SAMPLE_IMPORT_BYTES,
  MAX_VOICE_DESCRIPTION_LENGTH,
  MAX_VOICE_NAME_LENGTH,
  VOICE_ID_PATTERN,
  voiceRefSchema,
  type PreviewResult,
  type SampleCheckResult,
  type SampleRecordingStopped,
  type VoiceInfo
} from './voices'

// The domain types the calls carry live with their domain; the window imports them from here too.
export type { AssistantSnapshot } from './assistant'
export type { AudioDevice, AudioDevices, DoctorCheck, DoctorReport, MicTestResult } from './audio'
export type { KeyTestResult } from './settings'
export type { ConversationState, Dictation, DictationState, ModesSnapshot } from './modes'
export type { PreviewResult, SampleRecordingStopped } from './voices'
export type { McpServers, McpServerStatus, TimerView, ToolConfirmation } from './tools'

const none = z.undefined()

/** Ids of saved voices and of checked samples waiting to be saved. */
const voiceIdSchema = z.string().regex(VOICE_ID_PATTERN, 'not a voice id')
const draftIdSchema = z.string().regex(VOICE_ID_PATTERN, 'not a sample id')
const voiceNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the voice a name.')
  .max(MAX_VOICE_NAME_LENGTH, `A voice name can be at most ${MAX_VOICE_NAME_LENGTH} characters long.`)
const descriptionSchema = z
  .string()
  .trim()
  .min(1, 'Describe the voice.')
  .max(MAX_VOICE_DESCRIPTION_LENGTH, `A voice description can be at most ${MAX_VOICE_DESCRIPTION_LENGTH} characters long.`)
const previewTextSchema = z.string().trim().min(1).max(500)
/** Only a literal `true` passes: the user ticked "This is my voice, or I have the speaker's permission". */
const consentSchema = z.literal(true, {
  error: "Confirm that this is your voice, or that you have the speaker's permission, before saving it."
})
/** A sample file's bytes (the WebSocket test bridge encodes them; Electron's IPC clones them). */
const sampleBytesSchema = z
  .instanceof(Uint8Array, { error: 'expected the file as bytes' })
  .refine((b) => b.byteLength > 0, 'The file is empty.')
  .refine(
    (b) => b.byteLength <= MAX_SAMPLE_IMPORT_BYTES,
    `The file is larger than ${MAX_SAMPLE_IMPORT_BYTES / (1024 * 1024)} MB: a voice sample of 5 to 30 seconds is far smaller.`
  )

/** An image file dropped or pasted on the window: bytes, checked again (decoded) in the main process. */
const imageBytesSchema = z
  .instanceof(Uint8Array, { error: 'expected the image as bytes' })
  .refine((b) => b.byteLength > 0, 'The image file is empty.')
  .refine((b) => b.byteLength <= MAX_IMAGE_FILE_BYTES, `The image is larger than ${MAX_IMAGE_FILE_BYTES / (1024 * 1024)} MB.`)
/** Row ids of kept conversations and turns. */
const historyIdSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)
const historyCursorSchema = z.object({ updatedAt: z.number().int().min(0), id: historyIdSchema }).strict()
export const MAX_HISTORY_PAGE = 200

export const invokeSchemas = {
  'app:info': none,
  'settings:get': none,
  'settings:update': settingsPatchSchema,
  /** `storeWithoutKeyring`: the user agreed to keep the key only obfuscated (no keyring on this system). */
  'key:set': z.object({ key: z.string().trim().min(8, 'That key is too short.').max(512), storeWithoutKeyring: z.literal(true).optional() }).strict(),
  'key:clear': none,
  'key:test': none,
  /** Push-to-talk from the window: press and release (hold), or toggle (click). */
  'assistant:press': none,
  'assistant:release': none,
  'assistant:toggle': none,
  'assistant:ask': z.object({ text: z.string().trim().min(1).max(2000) }).strict(),
  /** Stop speaking, or cancel the turn in progress. */
  'assistant:stop': none,
  'assistant:retry': z.object({ turnId: z.string().min(1).max(100) }).strict(),
  'assistant:new-conversation': none,
  'assistant:snapshot': none,
  /** The hands-free conversation: the window's button, and Esc while it runs. */
  'conversation:start': none,
  'conversation:stop': none,
  /** Drops the dictation in progress: nothing is sent, or the transcription is abandoned and nothing inserted. */
  'dictation:cancel': none,
  /** The conversation's and dictation's state and shortcuts. */
  'modes:snapshot': none,
  'voices:list': none,
  'voices:select': voiceRefSchema,
  'voices:preview': z.object({ voice: voiceRefSchema, text: z.string().trim().min(1).max(500).optional() }).strict(),
  /** Voice samples: record one from the microphone (in the main process) or import a file, check it, save it. */
  'samples:record-start': none,
  'samples:record-stop': none,
  'samples:record-cancel': none,
  'samples:import': z.object({ fileName: z.string().trim().min(1).max(255), bytes: sampleBytesSchema }).strict(),
  'samples:preview-draft': z.object({ draftId: draftIdSchema, text: previewTextSchema.optional() }).strict(),
  'samples:save': z.object({ draftId: draftIdSchema, name: voiceNameSchema, consent: consentSchema }).strict(),
  'samples:discard': z.object({ draftId: draftIdSchema }).strict(),
  'voices:rename': z.object({ id: voiceIdSchema, name: voiceNameSchema }).strict(),
  'voices:delete': z.object({ id: voiceIdSchema }).strict(),
  'voices:replace-sample': z.object({ id: voiceIdSchema, draftId: draftIdSchema, consent: consentSchema }).strict(),
  'voices:design-preview': z.object({ description: descriptionSchema, text: previewTextSchema.optional() }).strict(),
  'voices:design-save': z.object({ name: voiceNameSchema, description: descriptionSchema }).strict(),
  'voices:stop-preview': none,
  'audio:devices': none,
  'doctor:run': none,
  'mic:test': none,
  /** What the next question carries: the "include screen" and "include selection" switches, and image files. */
  'context:next': none,
  'context:set-next': z.object({ screen: z.boolean().optional(), selection: z.boolean().optional() }).strict(),
  'context:add-image': z.object({ fileName: z.string().trim().min(1).max(255), bytes: imageBytesSchema }).strict(),
  'context:remove-image': z.object({ id: z.string().min(1).max(100) }).strict(),
  /** Timers and reminders not yet gone off, soonest first. */
  'tools:timers': none,
  'tools:cancel-timer': z.object({ id: z.string().trim().min(1).max(40) }).strict(),
  /** Tool calls waiting for the user's yes. */
  'tools:confirmations': none,
  'tools:confirm': z.object({ callId: z.string().min(1).max(200), allow: z.boolean() }).strict(),
  'tools:mcp-status': none,
  /**
   * Replaces the MCP servers with an `mcpServers` document (typed, or read from a file). A server
   * that runs a new or changed command starts only once the user confirms it outside the window.
   */
  'tools:mcp-set': z.object({ document: z.string().max(200_000) }).strict(),
  'tools:mcp-enable': z.object({ name: mcpServerNameSchema, enabled: z.boolean() }).strict(),
  /** The conversation history (src/core/conversations). */
  'history:status': none,
  'history:list': z.object({ before: historyCursorSchema.optional(), limit: z.number().int().min(1).max(MAX_HISTORY_PAGE).optional() }).strict(),
  'history:get': z.object({ id: historyIdSchema }).strict(),
  'history:search': z.object({ text: z.string().trim().min(1).max(200), limit: z.number().int().min(1).max(MAX_HISTORY_PAGE).optional() }).strict(),
  /** An empty title goes back to the first question. */
  'history:rename': z.object({ id: historyIdSchema, title: z.string().max(200) }).strict(),
  'history:delete': z.object({ id: historyIdSchema }).strict(),
  'history:clear': none,
  /** One conversation, or all without an id, written to the Downloads folder. */
  'history:export': z.object({ id: historyIdSchema.optional(), format: z.enum(['md', 'json']) }).strict(),
  'history:replay': z.object({ turnId: historyIdSchema, part: z.enum(['question', 'answer']) }).strict(),
  'history:stop-replay': none,
  'history:continue': z.object({ id: historyIdSchema }).strict()
} as const satisfies Record<string, z.ZodTypeAny>

export type InvokeChannel = keyof typeof invokeSchemas
export const INVOKE_CHANNELS = Object.keys(invokeSchemas) as InvokeChannel[]
export type InvokePayload<C extends InvokeChannel> = z.input<(typeof invokeSchemas)[C]>

export interface AppInfo {
  version: string
  platform: string
  hotkey: HotkeyStatus
  /** The second shortcut: ask about the screen. */
  screenHotkey?: HotkeyStatus
}

export interface HotkeyStatus {
  accelerator: string
  /** The mode asked for in settings, and the one actually running (hold needs the key hook). */
  requestedMode: 'hold' | 'toggle' | 'hybrid'
  activeMode: 'hold' | 'toggle' | 'hybrid' | 'none'
  /** Why the requested mode or the shortcut could not be used: shown to the user. */
  problem?: string
}

export interface PublicSettings {
  settings: Settings
  key: KeyStatus
}

export interface InvokeResults {
  'app:info': AppInfo
  'settings:get': PublicSettings
  'settings:update': PublicSettings
  'key:set': PublicSettings
  'key:clear': PublicSettings
  'key:test': KeyTestResult
  'assistant:press': AssistantState
  'assistant:release': AssistantState
  'assistant:toggle': AssistantState
  'assistant:ask': { turnId: string }
  'assistant:stop': AssistantState
  'assistant:retry': { turnId: string }
  'assistant:new-conversation': AssistantSnapshot
  'assistant:snapshot': AssistantSnapshot
  'conversation:start': ConversationState
  'conversation:stop': ConversationState
  'dictation:cancel': DictationState
  'modes:snapshot': ModesSnapshot
  'voices:list': VoiceInfo[]
  'voices:select': PublicSettings
  'voices:preview': { durationMs: number }
  /** The recording runs until record-stop, record-cancel or `maxDurationMs` ('samples:stopped'). */
  'samples:record-start': { maxDurationMs: number }
  'samples:record-stop': SampleCheckResult
  'samples:record-cancel': null
  /** A file that cannot be used comes back with `quality.refusals` and no draft (nothing was sent). */
  'samples:import': SampleCheckResult
  'samples:preview-draft': PreviewResult
  'samples:save': VoiceInfo
  'samples:discard': null
  'voices:rename': VoiceInfo
  /** The settings after the delete: deleting the voice in use falls back to the default voice. */
  'voices:delete': PublicSettings
  'voices:replace-sample': VoiceInfo
  /** `text`: what was spoken (the model's own `final_text_preview` when no text was given). */
  'voices:design-preview': PreviewResult & { text: string }
  'voices:design-save': VoiceInfo
  'voices:stop-preview': null
  'audio:devices': AudioDevices
  'doctor:run': DoctorReport
  'mic:test': MicTestResult
  'context:next': NextContext
  'context:set-next': NextContext
  'context:add-image': NextContext
  'context:remove-image': NextContext
  'tools:timers': TimerView[]
  /** The timers left. */
  'tools:cancel-timer': TimerView[]
  'tools:confirmations': ToolConfirmation[]
  /** `answered` false: the call was no longer waiting (answered elsewhere, or its time ran out). */
  'tools:confirm': { answered: boolean }
  'tools:mcp-status': McpServerStatus[]
  'tools:mcp-set': { servers: McpServers; status: McpServerStatus[] }
  'tools:mcp-enable': { servers: McpServers; status: McpServerStatus[] }
  'history:status': HistoryStatus
  'history:list': ConversationPage
  'history:get': ConversationDetail
  'history:search': SearchHit[]
  'history:rename': ConversationSummary
  'history:delete': null
  'history:clear': null
  'history:export': ExportResult
  'history:replay': PreviewResult
  'history:stop-replay': null
  /** The assistant's conversation, now the continued one. */
  'history:continue': AssistantSnapshot
}

export type InvokeResult<C extends InvokeChannel> = Result<InvokeResults[C]>

/** Main -> renderer pushes. */
export interface Events {
  'assistant:state': AssistantState
  'assistant:level': LevelReading
  /** The whole turn, whenever anything but its streaming text changes. */
  'assistant:turn': TurnView
  /** Answer text appended to a turn's reply while it streams (not the whole turn per token). */
  'assistant:reply': ReplyDelta
  'settings:changed': PublicSettings
  'voices:changed': VoiceInfo[]
  /** Microphone level while a voice sample is being recorded (~every 50 ms). */
  'samples:level': LevelReading
  /** A voice sample recording ended by itself (length limit reached, or the recorder failed). */
  'samples:stopped': SampleRecordingStopped
  'app:hotkey': HotkeyStatus
  /** The tray asks the window to show a view. */
  'app:navigate': { view: 'talk' | 'voices' | 'settings' }
  /** The next question's context changed (a question took it, or the switches were set). */
  'context:next': NextContext
  'tools:timers': TimerView[]
  'tools:confirmations': ToolConfirmation[]
  'tools:mcp': McpServerStatus[]
  /** Something was kept or deleted in the history. */
  'history:changed': HistoryStatus
  /** The history could not keep a turn (told once; the turn went on). */
  'history:problem': UserError
  /** The conversation or dictation changed state, or their shortcuts were registered again. */
  'modes:changed': ModesSnapshot
  /** A dictation finished: what was inserted, or why not. */
  'dictation:done': Dictation
}
export type EventChannel = keyof Events

/** Loose runtime checks of event payloads (the sender is our own main process). */
export const eventSchemas: { [E in EventChannel]: z.ZodTypeAny } = {
  'assistant:state': z.object({ phase: z.enum(['idle', 'recording', 'thinking', 'speaking', 'error']) }).passthrough(),
  'assistant:level': z.object({ rmsDbfs: z.number(), peakDbfs: z.number(), speech: z.boolean(), elapsedMs: z.number() }),
  'assistant:turn': z.object({ id: z.string(), reply: z.string(), status: z.string() }).passthrough(),
  'assistant:reply': z.object({ turnId: z.string(), text: z.string() }),
  'settings:changed': z.object({ settings: z.object({}).passthrough(), key: z.object({ set: z.boolean() }).passthrough() }),
  'voices:changed': z.array(z.object({ ref: voiceRefSchema, name: z.string() }).passthrough()),
  'samples:level': z.object({ rmsDbfs: z.number(), peakDbfs: z.number(), speech: z.boolean(), elapsedMs: z.number() }),
  'samples:stopped': z.object({ reason: z.enum(['max-length', 'error']) }).passthrough(),
  'app:hotkey': z.object({ accelerator: z.string(), activeMode: z.string() }).passthrough(),
  'app:navigate': z.object({ view: z.enum(['talk', 'voices', 'settings']) }),
  'context:next': z.object({ screen: z.boolean(), selection: z.boolean(), images: z.array(z.object({ id: z.string() }).passthrough()) }),
  'tools:timers': z.array(z.object({ id: z.string(), label: z.string(), dueAt: z.string() }).passthrough()),
  'tools:confirmations': z.array(z.object({ callId: z.string(), tool: z.string(), expiresAt: z.string() }).passthrough()),
  'tools:mcp': z.array(z.object({ name: z.string(), state: z.string() }).passthrough()),
  'history:changed': z.object({ path: z.string(), available: z.boolean() }).passthrough(),
  'history:problem': z.object({ kind: z.string(), message: z.string() }).passthrough(),
  'modes:changed': z
    .object({ conversation: z.object({ phase: z.string() }).passthrough(), dictation: z.object({ phase: z.string() }).passthrough() })
    .passthrough(),
  'dictation:done': z.object({ id: z.string(), text: z.string(), insert: z.string() }).passthrough()
}
export const EVENT_CHANNELS = Object.keys(eventSchemas) as EventChannel[]

/** `window.api`: one function per invoke channel, plus `on` for events (returns an unsubscribe). */
export type Api = {
  [C in InvokeChannel]: InvokePayload<C> extends undefined
    ? () => Promise<InvokeResult<C>>
    : (payload: InvokePayload<C>) => Promise<InvokeResult<C>>
} & {
  on<E extends EventChannel>(event: E, listener: (payload: Events[E]) => void): () => void
}

/** The handlers the main side provides: one per channel, payload already validated. */
export type Handlers = {
  [C in InvokeChannel]: (payload: z.output<(typeof invokeSchemas)[C]>) => Promise<InvokeResults[C]> | InvokeResults[C]
}
