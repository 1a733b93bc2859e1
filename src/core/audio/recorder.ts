/**
 * The microphone, through node-record-lpcm16 and whichever of sox, rec or arecord is installed:
 * 16 kHz mono PCM16 in 50 ms frames, with a level reading per frame, a length limit and an
 * optional stop after silence. Every way the recorder can fail ends in a typed AudioError on the
 * session, never in an unhandled 'error' that would take the process down.
 */
import { EventEmitter } from 'node:events'
import lpcm, { type Recording as LpcmRecording } from 'node-record-lpcm16'
import type { LevelReading } from '../../shared/assistant'
import type { AudioDevice } from '../../shared/audio'
import { isAlsaDeviceName, listInputDevices, runCommand, type RunCommand } from './devices'
import { diagnoseOpenFailure, lastWords, SOUND_SERVER_HINT, type OpenFailure } from './open-failure'
import { AudioDeviceError, AudioError, RecorderMissingError } from './errors'
import { findProgramOnPath, type FindProgram } from './find-program'
import { recorderInstallHint } from './install-hints'
import { levelReading, VoiceActivityDetector } from './level'
import { recordWithParecord, soundServerAnswers } from './parecord'
import { SampleAligner } from './sample-aligner'

/** parecord is used only by recorders asked for low latency (see parecord.ts). */
export type RecorderProgram = 'sox' | 'rec' | 'arecord' | 'parecord'

export const RECORD_SAMPLE_RATE = 16000
/** One level reading and one detector step per frame. */
export const FRAME_MS = 50
const FRAME_SAMPLES = (RECORD_SAMPLE_RATE * FRAME_MS) / 1000
export const DEFAULT_MAX_DURATION_MS = 60_000
/** sox can ignore SIGTERM when its source delivers nothing: then it gets SIGKILL. */
const KILL_AFTER_MS = 1500

export interface RecorderOptions {
  /** Use this program only; default: the first installed of the platform's list. */
  program?: RecorderProgram
  /** An input device id from listDevices() (PulseAudio source or ALSA name); null = system default. */
  device?: string | null
  env?: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
  findProgram?: FindProgram
  /** Runs pactl / arecord -L for listDevices(). */
  runCommand?: RunCommand
  /**
   * Prefer parecord where a PulseAudio server answers and the device is not an ALSA name: audio in
   * 10 ms pieces instead of about 128 ms (listening modes, where a reaction time is promised).
   */
  lowLatency?: boolean
}

export interface StartOptions {
  /** Stops by itself after this much audio ('autostop' 'max-length'). Default 60 s. */
  maxDurationMs?: number
  /** Stops by itself after this much silence following speech ('autostop' 'silence'). Default off. */
  stopOnSilenceMs?: number | null
  /** Keep the audio for stop() (default true). Listening modes take each 'frame' and keep what they need. */
  keepAudio?: boolean
}

export interface Recording {
  /** 16 kHz mono. */
  pcm: Int16Array
  sampleRate: 16000
  durationMs: number
  /** The voice-activity detector heard speech: false means "no speech heard", do not send it. */
  heardSpeech: boolean
}

/**
 * What the users of a recording need (push-to-talk, voice samples): the RecordingSession below
 * satisfies it, and tests pass fakes.
 */
export interface RecordingSessionPort {
  on(e: 'level', l: (r: LevelReading) => void): unknown
  /** Audio as it is captured (push-to-talk encodes it for upload on the way; a session without it has its recording encoded at the end). */
  on(e: 'frame', l: (pcm: Int16Array) => void): unknown
  on(e: 'autostop', l: (reason: 'max-length' | 'silence') => void): unknown
  on(e: 'error', l: (err: Error) => void): unknown
  stop(): Promise<Recording>
  cancel(): void
}

/** What the users of the microphone's recorder need: the Recorder satisfies it. */
export interface RecorderPort {
  start(o?: StartOptions): RecordingSessionPort
  /** Looks the recording program up, so a missing one is reported when recording is asked for. */
  findRecorder?(): Promise<unknown>
}

export interface RecordingSession {
  on(e: 'level', l: (r: LevelReading) => void): this
  on(e: 'autostop', l: (reason: 'max-length' | 'silence') => void): this
  on(e: 'error', l: (err: AudioError) => void): this
  /**
   * Each piece of audio as it is captured (50 ms, the last one shorter), in order, with the
   * voice-activity detector's verdict on it: the recording is their sum.
   */
  on(e: 'frame', l: (frame: Int16Array, speech: boolean) => void): this
  /** Resolves with what was captured; rejects with the AudioError if the recorder failed. */
  stop(): Promise<Recording>
  /** Ends the recording and drops it. stop() afterwards resolves with an empty recording. */
  cancel(): void
  /** The recorder process, once started. */
  readonly pid: number | undefined
  /** The program recording, once chosen. */
  readonly program: RecorderProgram | undefined
}

/** Which recorders each platform can use, in order of preference. */
export function recorderCandidates(platform: NodeJS.Platform): RecorderProgram[] {
  if (platform === 'win32') return ['sox']
  if (platform === 'darwin') return ['sox', 'rec']
  return ['sox', 'rec', 'arecord']
}

export class Recorder {
  private readonly program: RecorderProgram | undefined
  private readonly device: string | null
  private readonly env: NodeJS.ProcessEnv
  private readonly platform: NodeJS.Platform
  private readonly findProgram: FindProgram
  private readonly run: RunCommand
  private readonly lowLatency: boolean
  private found: Promise<{ program: RecorderProgram; path: string }> | undefined

  constructor(o: RecorderOptions = {}) {
    this.program = o.program
    this.device = o.device ?? null
    this.env = o.env ?? process.env
    this.platform = o.platform ?? process.platform
    this.findProgram = o.findProgram ?? findProgramOnPath(this.env, this.platform)
    this.run = o.runCommand ?? runCommand
    this.lowLatency = o.lowLatency ?? false
  }

  /**
   * The recorder that will be used, looked up once (a failed look-up is retried next time, so
   * installing sox while the app runs is enough). Rejects with RecorderMissingError.
   */
  findRecorder(): Promise<{ program: RecorderProgram; path: string }> {
    if (!this.found) {
      const lookup = this.lookUp()
      this.found = lookup
      lookup.catch(() => {
        if (this.found === lookup) this.found = undefined
      })
    }
    return this.found
  }

  private async lookUp(): Promise<{ program: RecorderProgram; path: string }> {
    const candidates = this.program ? [this.program] : recorderCandidates(this.platform)
    if (!this.program && (await this.parecordFits())) {
      const path = await this.findProgram('parecord').catch(() => null)
      if (path) return { program: 'parecord', path }
    }
    for (const program of candidates) {
      const path = await this.findProgram(program).catch(() => null)
      if (path) return { program, path }
    }
    throw new RecorderMissingError(candidates, recorderInstallHint(this.platform))
  }

  private async parecordFits(): Promise<boolean> {
    if (!this.lowLatency || this.platform !== 'linux') return false
    if (this.device && isAlsaDeviceName(this.device)) return false
    return soundServerAnswers(this.run, this.env)
  }

  start(o: StartOptions = {}): RecordingSession {
    return new RecorderSession(this, o)
  }

  listDevices(): Promise<AudioDevice[]> {
    return listInputDevices({ platform: this.platform, env: this.env, run: this.run })
  }

  /** @internal The environment and library options that pick the input device for `program`. */
  launchOptions(program: RecorderProgram): { env: NodeJS.ProcessEnv; device: string | undefined } {
    const env: NodeJS.ProcessEnv = { ...this.env }
    const device = this.device
    if (!device) return { env, device: undefined }
    const alsaName = isAlsaDeviceName(device)
    // PulseAudio (and PipeWire's pulse server) honour PULSE_SOURCE for every client, ALSA's pulse plugin included.
    if (!alsaName) env.PULSE_SOURCE = device
    if (program === 'parecord') return { env, device: undefined }
    if (program === 'arecord') return { env, device: alsaName ? device : 'pulse' }
    // sox and rec read the device from AUDIODEV, and need AUDIODRIVER to know what kind it is.
    env.AUDIODEV = device
    env.AUDIODRIVER ??= this.platform === 'darwin' ? 'coreaudio' : this.platform === 'win32' ? 'waveaudio' : alsaName ? 'alsa' : 'pulseaudio'
    return { env, device: undefined }
  }

  /** @internal Why the recorder could not open the microphone, from what it said. */
  diagnose(stderr: string): Promise<OpenFailure | undefined> {
    return diagnoseOpenFailure(stderr, { env: this.env, platform: this.platform, run: this.run }).catch(() => undefined)
  }

  /** @internal */
  get installHint(): string {
    return recorderInstallHint(this.platform)
  }
}

type SessionState = 'starting' | 'recording' | 'stopping' | 'done' | 'failed' | 'cancelled'

/**
 * node-record-lpcm16 spawns with process.env unless a recorder sets its own: the child's
 * environment is swapped in for the synchronous spawn and put back at once.
 */
function withProcessEnv<T>(env: NodeJS.ProcessEnv, fn: () => T): T {
  const saved = process.env
  process.env = env
  try {
    return fn()
  } finally {
    process.env = saved
  }
}

class RecorderSession extends EventEmitter implements RecordingSession {
  private state: SessionState = 'starting'
  private chosen: RecorderProgram | undefined
  private lpcm: Pick<LpcmRecording, 'process' | 'stream'> | undefined
  private readonly maxSamples: number
  private readonly stopOnSilenceMs: number | null
  private readonly keepAudio: boolean
  private readonly vad = new VoiceActivityDetector({ sampleRate: RECORD_SAMPLE_RATE })
  private readonly frames: Int16Array[] = []
  private pending = new Int16Array(FRAME_SAMPLES)
  private pendingLength = 0
  private readonly aligner = new SampleAligner()
  private samples = 0
  private bytesIn = 0
  private stderr = ''
  private autostopped = false
  private stopRequested = false
  private result: Promise<Recording>
  private settle!: { resolve: (r: Recording) => void; reject: (e: AudioError) => void }
  private killTimer: NodeJS.Timeout | undefined
  private wallTimer: NodeJS.Timeout | undefined

  constructor(
    private readonly recorder: Recorder,
    o: StartOptions
  ) {
    super()
    const maxMs = o.maxDurationMs ?? DEFAULT_MAX_DURATION_MS
    this.maxSamples = Math.max(1, Math.round((maxMs * RECORD_SAMPLE_RATE) / 1000))
    this.stopOnSilenceMs = o.stopOnSilenceMs ?? null
    this.keepAudio = o.keepAudio ?? true
    this.result = new Promise<Recording>((resolve, reject) => (this.settle = { resolve, reject }))
    // Nobody may ever call stop(): a failure must not become an unhandled rejection.
    this.result.catch(() => undefined)
    // A device that delivers nothing never reaches the limit in audio time: a wall-clock backstop.
    this.wallTimer = setTimeout(() => this.autostop('max-length'), maxMs + 3000)
    this.wallTimer.unref()
    void this.begin()
  }

  get pid(): number | undefined {
    return this.lpcm?.process.pid
  }

  get program(): RecorderProgram | undefined {
    return this.chosen
  }

  private async begin(): Promise<void> {
    let program: RecorderProgram
    try {
      program = (await this.recorder.findRecorder()).program
    } catch (err) {
      this.fail(err instanceof AudioError ? err : new RecorderMissingError(['sox'], this.recorder.installHint))
      return
    }
    if (this.state !== 'starting') {
      this.finish()
      return
    }
    this.chosen = program
    const { env, device } = this.recorder.launchOptions(program)
    let recording: Pick<LpcmRecording, 'process' | 'stream'>
    try {
      recording =
        program === 'parecord'
          ? recordWithParecord(env, RECORD_SAMPLE_RATE)
          : withProcessEnv(env, () =>
              lpcm.record({ recorder: program, sampleRate: RECORD_SAMPLE_RATE, channels: 1, audioType: 'raw', device, endOnSilence: false })
            )
    } catch (err) {
      // Unknown recorder names throw synchronously ("No such recorder found").
      this.fail(new RecorderMissingError([program], `${String((err as Error).message ?? err)}. ${this.recorder.installHint}`))
      return
    }
    this.lpcm = recording
    this.state = 'recording'
    const child = recording.process
    // The library adds no 'error' listener to the child: without this an ENOENT kills the process.
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'EACCES') {
        this.fail(new RecorderMissingError([program], this.recorder.installHint))
      } else {
        this.fail(new AudioDeviceError(`The recorder (${program}) could not be started: ${err.message}`, 'failed', { program }))
      }
    })
    // ...and it emits a *string* 'error' on the stream after a non-zero exit: the exit is read from 'close'.
    const stream = recording.stream()
    stream.on('error', () => undefined)
    stream.on('data', (chunk: Buffer) => this.onData(chunk))
    child.stderr?.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 4000) this.stderr += chunk.toString('utf8')
    })
    child.on('close', (code: number | null, signal: NodeJS.Signals | null) => this.onClose(program, code, signal))
    if (this.stopRequested) this.kill()
  }

  private onData(chunk: Buffer): void {
    if (this.state !== 'recording' && this.state !== 'stopping') return
    this.bytesIn += chunk.length
    const bytes = this.aligner.align(chunk)
    for (let at = 0; at < bytes.length && this.samples < this.maxSamples; at += 2) {
      this.pending[this.pendingLength++] = bytes.readInt16LE(at)
      this.samples++
      if (this.pendingLength === FRAME_SAMPLES) this.flushFrame(true)
    }
    if (this.samples >= this.maxSamples && !this.autostopped) {
      if (this.pendingLength > 0) this.flushFrame(false)
      this.autostop('max-length')
    }
  }

  private flushFrame(full: boolean): void {
    const frame = this.pending.slice(0, this.pendingLength)
    this.pendingLength = 0
    if (this.keepAudio) this.frames.push(frame)
    const v = this.vad.push(frame)
    // Every frame goes out, the last short one too: the upload encoder and the listening modes need all of it.
    this.emit('frame', frame, v.speech)
    if (!full || this.state !== 'recording') return
    this.emit('level', levelReading(v, v.speech, (this.samples * 1000) / RECORD_SAMPLE_RATE))
    if (this.stopOnSilenceMs !== null && this.vad.heardSpeech && this.vad.silenceMs >= this.stopOnSilenceMs) {
      this.autostop('silence')
    }
  }

  private autostop(reason: 'max-length' | 'silence'): void {
    if (this.autostopped || (this.state !== 'recording' && this.state !== 'starting')) return
    this.autostopped = true
    this.emit('autostop', reason)
    this.requestStop()
  }

  stop(): Promise<Recording> {
    this.requestStop()
    return this.result
  }

  cancel(): void {
    if (this.state === 'done' || this.state === 'failed' || this.state === 'cancelled') return
    this.state = 'cancelled'
    this.stopRequested = true
    this.frames.length = 0
    this.pendingLength = 0
    this.kill()
    this.settle.resolve(emptyRecording())
    this.cleanup()
  }

  private requestStop(): void {
    if (this.stopRequested) return
    this.stopRequested = true
    if (this.state === 'starting') return // begin() finishes with what there is (nothing)
    if (this.state === 'recording') this.state = 'stopping'
    this.kill()
  }

  private kill(): void {
    const child = this.lpcm?.process
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    this.killTimer ??= setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    }, KILL_AFTER_MS)
  }

  private onClose(program: RecorderProgram, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.state === 'cancelled' || this.state === 'done' || this.state === 'failed') return
    const details = { program, exitCode: code, signal, stderr: this.stderr.trim().slice(-1000) }
    // arecord exits 1 on every SIGTERM: after a stop, only an exit that never gave audio can be a failure.
    if (this.stopRequested && (this.bytesIn > 0 || this.stderr.trim() === '')) return this.finish()
    const closing = this.stopRequested
    void this.recorder.diagnose(this.stderr).then((failure) => {
      if (failure) this.fail(microphoneOpenError(failure, details))
      else if (closing) this.finish()
      else if (signal)
        this.fail(
          new AudioDeviceError(
            `The recorder (${program}) was stopped by ${signal} in the middle of the recording.`,
            'killed',
            details,
            'Try again. If it keeps happening, run the audio checks in Settings.'
          )
        )
      else
        this.fail(
          new AudioDeviceError(
            `The recorder (${program}) stopped on its own (exit code ${code}: ${lastWords(this.stderr)}); the microphone may have been disconnected.`,
            'failed',
            details,
            'Check the microphone and the input device in Settings, then try again.'
          )
        )
    })
  }

  private finish(): void {
    if (this.state === 'done' || this.state === 'failed' || this.state === 'cancelled') return
    if (this.pendingLength > 0) this.flushFrame(false)
    this.state = 'done'
    const pcm = concatFrames(this.frames)
    this.frames.length = 0
    this.settle.resolve({
      pcm,
      sampleRate: RECORD_SAMPLE_RATE,
      durationMs: Math.round((pcm.length * 1000) / RECORD_SAMPLE_RATE),
      heardSpeech: this.vad.heardSpeech
    })
    this.cleanup()
  }

  private fail(err: AudioError): void {
    if (this.state === 'done' || this.state === 'failed' || this.state === 'cancelled') return
    this.state = 'failed'
    this.frames.length = 0
    this.kill()
    this.settle.reject(err)
    this.cleanup()
    // An 'error' with no listener would throw: then the failure is reported by stop() alone.
    if (this.listenerCount('error') > 0) this.emit('error', err)
  }

  private cleanup(): void {
    if (this.wallTimer) clearTimeout(this.wallTimer)
    this.wallTimer = undefined
    const child = this.lpcm?.process
    if (this.killTimer && (!child || child.exitCode !== null || child.signalCode !== null)) {
      clearTimeout(this.killTimer)
      this.killTimer = undefined
    }
  }

}

function emptyRecording(): Recording {
  return { pcm: new Int16Array(0), sampleRate: RECORD_SAMPLE_RATE, durationMs: 0, heardSpeech: false }
}

/** Consecutive frames as one stretch of PCM. */
export function concatFrames(frames: Int16Array[]): Int16Array {
  let length = 0
  for (const f of frames) length += f.length
  const out = new Int16Array(length)
  let at = 0
  for (const f of frames) {
    out.set(f, at)
    at += f.length
  }
  return out
}

function microphoneOpenError(failure: OpenFailure, details: ConstructorParameters<typeof AudioDeviceError>[2]): AudioDeviceError {
  if (failure.problem === 'no-daemon') {
    return new AudioDeviceError(
      `The sound server could not be reached, so no microphone can be opened (${failure.said}).`,
      'no-daemon',
      details,
      SOUND_SERVER_HINT
    )
  }
  return new AudioDeviceError(
    `No microphone could be opened (${failure.said}).`,
    'no-device',
    details,
    'Connect a microphone, check that it is not muted, and pick it as the input device in Settings.'
  )
}
