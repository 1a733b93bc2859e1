/**
 * The services the IPC handlers, the tray and the hotkey call, each implemented in plain TypeScript in
 * src/core; the shell only ever sees these interfaces.
 */
import type { AudioDevices, DoctorReport, MicTestResult } from '../shared/audio'
import type { KeyStatus, KeyTestResult, Settings, SettingsPatch } from '../shared/settings'
import type { Assistant } from './assistant/assistant'
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
  on(e: 'change', l: (s: Settings) => void): () => void
}

export interface KeyService {
  status(): KeyStatus
  set(key: string): KeyStatus
  clear(): KeyStatus
  get(): string | undefined
  test(): Promise<KeyTestResult>
  /** The key was set or cleared (the window's settings page follows). */
  on(e: 'change', l: (status: KeyStatus) => void): () => void
}

/** Everything the shell wires together. */
export interface MainServices {
  assistant: Assistant
  /** The voices, with `samples`: recording a clone sample from the microphone. */
  voices: VoiceService & { samples: SampleRecorder }
  doctor: DoctorService
  settings: SettingsService
  key: KeyService
  /** The MiMo client's connections, opened ahead when the app starts and the window is shown (never without a key). */
  connections?: { warm(holdMs?: number): unknown }
}
