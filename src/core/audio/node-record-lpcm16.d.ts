// node-record-lpcm16 1.0.1 ships no types: the part of it the recorder uses.
declare module 'node-record-lpcm16' {
  import type { ChildProcess } from 'node:child_process'
  import type { Readable } from 'node:stream'

  export interface RecordOptions {
    sampleRate?: number
    channels?: number
    recorder?: string
    device?: string | null
    audioType?: string
    endOnSilence?: boolean
    threshold?: number
    silence?: string
  }

  export interface Recording {
    /** The spawned recorder; emits 'error' (ENOENT) with no listener of the library's own. */
    process: ChildProcess
    /** Emits 'error' with a string (not an Error) when the recorder exits non-zero. */
    stream(): Readable
    stop(): void
  }

  // CommonJS (`module.exports = { record }`) that Node's ESM loader cannot name: import the default.
  const lpcm: {
    /** Spawns the recorder at once; throws synchronously for an unknown recorder name. */
    record(options?: RecordOptions): Recording
  }
  export default lpcm
}
