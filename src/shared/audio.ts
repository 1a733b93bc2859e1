/** Audio devices and what the doctor finds: shared by the core, the command and the window. */

export interface AudioDevice {
  id: string
  label: string
  /** An echo-cancelled microphone (PulseAudio's module-echo-cancel, PipeWire's echo-cancel): it does not hear the answers, so interrupting by voice works without headphones. */
  echoCancelled?: boolean
}

export interface AudioDevices {
  inputs: AudioDevice[]
  outputs: AudioDevice[]
}

export interface DoctorCheck {
  id: 'key' | 'api' | 'recorder' | 'player' | 'microphone' | 'playback'
  status: 'ok' | 'warn' | 'fail' | 'skipped'
  label: string
  detail: string
  hint?: string
}

export interface DoctorReport {
  checks: DoctorCheck[]
}

export interface MicTestResult {
  rmsDbfs: number
  peakDbfs: number
  speechHeard: boolean
  durationMs: number
}
