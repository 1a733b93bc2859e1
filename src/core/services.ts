/**
 * The services the IPC handlers, the tray and the hotkey call, each implemented in plain TypeScript in
 * src/core; the shell only ever sees these interfaces.
 */
import type { AudioDevices, DoctorReport, MicTestResult } from '../shared/audio'
import type { KeyStatus, KeyTestResult, Settings, SettingsPatch } from '../shared/settings'
import type { McpServers, McpServerStatus, TimerView, ToolConfirmation } from '../shared/tools'
import type { ConversationState, DictationState } from '../shared/modes'
import type { Assistant } from './assistant/assistant'
import type { ContextService } from './context/context-service'
import type { ConversationsService } from './conversations/conversations-service'
import type { DictationEvents } from './dictation/dictation'
import type { ConversationEvents } from './modes/conversation-mode'
import type { SampleRecorder } from './voices/sample-recorder'
import type { VoiceService } from './voices/voice-service'

export interface DoctorService {
  run(): Promise<DoctorReport>
  micTest(): Promise<MicTestResult>
  devices(): Promise<AudioDevices>
}

export interface SettingsService {
  get(): Settings
  update(p: SettingsPatch): Settings
  /** Replaces the MCP servers (after the user confirmed them outside the window). */
  setMcpServers?(servers: McpServers): Settings
  on(e: 'change', l: (s: Settings) => void): () => void
}

export interface KeyService {
  status(): KeyStatus
  /** `storeWithoutKeyring`: the user agreed to a key kept only obfuscated (no keyring on this system). */
  set(key: string, o?: { storeWithoutKeyring?: boolean }): KeyStatus
  clear(): KeyStatus
  /** Whether a key is set and its end, for status and the doctor; never for sending. */
  get(): string | undefined
  /** The key for a request to this base URL, only where it is bound (src/core/settings/key-origin.ts). */
  keyFor(baseUrl: string): Promise<string | undefined>
  test(): Promise<KeyTestResult>
  /** The key was set or cleared (the window's settings page follows). */
  on(e: 'change', l: (status: KeyStatus) => void): () => void
}

/** Timers, tool calls waiting for a yes, and MCP servers, as the window, the tray and the command use them. */
export interface ToolsService {
  timers(): TimerView[]
  /** Throws a ToolError when there is no such timer (it may have gone off). */
  cancelTimer(id: string): TimerView
  confirmations(): ToolConfirmation[]
  /** Answers a waiting call; false when it is no longer waiting. */
  confirm(callId: string, allow: boolean): boolean
  mcpStatus(): McpServerStatus[]
  on(e: 'timers', l: (timers: TimerView[]) => void): () => void
  on(e: 'confirmations', l: (list: ToolConfirmation[]) => void): () => void
  on(e: 'mcp', l: (status: McpServerStatus[]) => void): () => void
  /** Something the user should know that is no turn's error: an MCP server that failed or stopped. */
  on(e: 'notice', l: (message: string) => void): () => void
}

/** The hands-free conversation (src/core/modes/conversation-mode.ts). */
export interface ConversationService {
  start(): ConversationState
  stop(): ConversationState
  state(): ConversationState
  on<E extends keyof ConversationEvents>(e: E, l: (v: ConversationEvents[E]) => void): () => void
}

/** Dictation into the focused app (src/core/dictation/dictation.ts). */
export interface DictationControl {
  press(o?: { stopOnSilenceMs?: number | null }): DictationState
  release(): DictationState
  toggle(): DictationState
  cancel(): void
  state(): DictationState
  on<E extends keyof DictationEvents>(e: E, l: (v: DictationEvents[E]) => void): () => void
}

/** Everything the shell wires together. */
export interface MainServices {
  assistant: Assistant
  /** The voices, with `samples`: recording a clone sample from the microphone. */
  voices: VoiceService & { samples: SampleRecorder }
  doctor: DoctorService
  settings: SettingsService
  key: KeyService
  /** What the next question carries (the window's switches, waiting image files). Absent in hosts without it. */
  context?: ContextService
  /** Absent in shells that offer no tools. */
  tools?: ToolsService
  /** The kept conversations. */
  conversations: ConversationsService
  /** The MiMo client's connections, opened ahead when the app starts and the window is shown (never without a key). */
  connections?: { warm(holdMs?: number): unknown }
  conversation: ConversationService
  dictation: DictationControl
}
