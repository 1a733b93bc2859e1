/**
 * The services the IPC handlers, the tray and the hotkey call. Each part of the product implements one of them in
 * plain TypeScript (src/core/**); the shell only ever sees these interfaces.
 */
import type { AssistantState, LevelReading, TurnView } from '../shared/assistant'
import type { AssistantSnapshot, AudioDevices, DoctorReport, KeyTestResult, MicTestResult, PreviewResult } from '../shared/ipc'
import type { KeyStatus, Settings, SettingsPatch } from '../shared/settings'
import type { SampleCheckResult, VoiceInfo, VoiceRef } from '../shared/voices'
import type { SampleRecorder } from './voices/sample-recorder'

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
  preview(voice: VoiceRef, text?: string): Promise<PreviewResult>
  /** Speaks a test sentence in the voice a checked, unsaved sample would make. */
  previewDraft(draftId: string, text?: string): Promise<PreviewResult>
  stopPreview(): void
  /** Checks a WAV or MP3 sample (nothing is sent); a usable one waits as a draft. */
  checkSample(bytes: Uint8Array, fileName?: string): Promise<SampleCheckResult>
  saveDraft(draftId: string, name: string, consent: boolean): Promise<VoiceInfo>
  replaceSampleWithDraft(voiceId: string, draftId: string, consent: boolean): Promise<VoiceInfo>
  discardDraft(draftId: string): void
  rename(voiceId: string, name: string): Promise<VoiceInfo>
  /** Deletes a saved voice (a clone's sample file goes too). */
  remove(voiceId: string): Promise<void>
  designPreview(description: string, text?: string): Promise<PreviewResult & { text: string }>
  saveDesign(name: string, description: string): Promise<VoiceInfo>
  /** Records a sample from the microphone and checks it (src/core/voices/sample-recorder.ts). */
  samples: SampleRecorder
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
  /** `storeWithoutKeyring`: the user agreed to a key kept only obfuscated (no keyring on this system). */
  set(key: string, o?: { storeWithoutKeyring?: boolean }): KeyStatus
  clear(): KeyStatus
  /** Whether a key is set and its end, for status and the doctor; never for sending. */
  get(): string | undefined
  /** The key for a request to this base URL, only where it is bound (src/core/settings/key-origin.ts). */
  keyFor(baseUrl: string): Promise<string | undefined>
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
