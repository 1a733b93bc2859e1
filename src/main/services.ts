/**
 * The services the IPC handlers, the tray and the hotkey call. Each room implements one of them in
 * plain TypeScript (src/main/core/**); the shell only ever sees these interfaces.
 */
import type { AssistantState, LevelReading, TurnView } from '../shared/assistant'
import type { AssistantSnapshot, AudioDevices, DoctorReport, KeyTestResult, MicTestResult } from '../shared/ipc'
import type { KeyStatus, Settings, SettingsPatch } from '../shared/settings'
import type { VoiceInfo, VoiceRef } from '../shared/voices'

export interface AssistantService {
  press(): AssistantState
  release(): AssistantState
  toggle(): AssistantState
  ask(text: string, o?: { fromTray?: boolean }): { turnId: string }
  stop(): AssistantState
  retry(turnId: string): { turnId: string }
  newConversation(): AssistantSnapshot
  snapshot(): AssistantSnapshot
  on(e: 'state', l: (s: AssistantState) => void): () => void
  on(e: 'level', l: (r: LevelReading) => void): () => void
  on(e: 'turn', l: (t: TurnView) => void): () => void
}

export interface VoiceService {
  list(): Promise<VoiceInfo[]>
  preview(voice: VoiceRef, text?: string): Promise<{ durationMs: number }>
  /** Optional: saved voices were added or removed (the tray's voice menu and the window follow). */
  on?(e: 'change', l: (voices: VoiceInfo[]) => void): () => void
}

export interface DoctorService {
  run(): Promise<DoctorReport>
  micTest(): Promise<MicTestResult>
  devices(): Promise<AudioDevices>
}

export interface SettingsService {
  get(): Settings
  update(p: SettingsPatch): Settings
  on(e: 'change', l: (s: Settings) => void): () => void
}

export interface KeyService {
  status(): KeyStatus
  set(key: string): KeyStatus
  clear(): KeyStatus
  get(): string | undefined
  test(): Promise<KeyTestResult>
}

/** Everything the shell wires together. */
export interface MainServices {
  assistant: AssistantService
  voices: VoiceService
  doctor: DoctorService
  settings: SettingsService
  key: KeyService
}
