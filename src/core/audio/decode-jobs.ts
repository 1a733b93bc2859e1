/** What the decode worker (decode-worker.ts) is asked to do, and what it answers: plain, cloneable data. */
import type { SampleQuality } from '../../shared/voices'

export type DecodeJob =
  /** The voice-sample checks (src/core/voices/sample-quality.ts): never fails for a bad file, refuses it. */
  | { kind: 'check-sample'; bytes: Uint8Array; fileName?: string }
  /** A question in a file, as the service gets it (src/core/audio/wav.ts prepareForUpload). */
  | { kind: 'prepare-upload'; bytes: Uint8Array }

export interface DecodeResults {
  'check-sample': { quality: SampleQuality; wav: Uint8Array | null }
  'prepare-upload': { bytes: Uint8Array; container: 'wav' | 'mp3'; durationSec?: number }
}

/** An error thrown in the worker, as it crosses to the caller: enough to rebuild what the user is told. */
export interface DecodeFailure {
  name: string
  message: string
  hint?: string
}

export type DecodeReply<K extends DecodeJob['kind'] = DecodeJob['kind']> =
  | { ok: true; value: DecodeResults[K] }
  | { ok: false; error: DecodeFailure }
