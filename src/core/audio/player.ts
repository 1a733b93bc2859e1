/**
 * Where spoken answers go: 24 kHz mono PCM16LE streamed to a player process (pacat, aplay or
 * SoX's play), or to a WAV file, or to a raw stream. The player is spawned before the first chunk
 * so its start-up is off the critical path; stop() kills it, which silences it at once (closing
 * stdin would play out everything buffered first).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { closeSync, openSync, writeSync } from 'node:fs'
import { isAlsaDeviceName, runCommand, type RunCommand } from './devices'
import { AudioDeviceError, AudioError, AudioOutputError, PlayerMissingError } from './errors'
import { findProgramOnPath, type FindProgram } from './find-program'
import { playerInstallHint } from './install-hints'
import { diagnoseOpenFailure, lastWords, SOUND_SERVER_HINT } from './open-failure'
import { writeWavHeader } from './wav'
import { SampleAligner } from './sample-aligner'

export const PLAYBACK_SAMPLE_RATE = 24000

export type PlayerProgram = 'pacat' | 'aplay' | 'play'

export const DEFAULT_PACAT_LATENCY_MS = 50

/** 24 kHz mono PCM16LE in. */
export interface PcmSink {
  write(pcm: Buffer): void
  /** Resolves when everything written has been played (the player exited 0 after its input closed). */
  end(): Promise<void>
  /** Silence within 50 ms: kills the player. */
  stop(): void
  /** 0..1, applied to what is written from now on. */
  setVolume(v: number): void
  readonly bytesWritten: number
  /** The program playing, for sinks backed by one. */
  readonly program?: string
  on(e: 'error', l: (err: AudioError) => void): this
}

export interface PlayerOptions {
  program?: PlayerProgram
  /** An output device id (PulseAudio sink or ALSA name); null = system default. */
  device?: string | null
  volume?: number
  env?: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
  findProgram?: FindProgram
  /** pacat's buffer target (default 50 ms): lower starts sooner, higher survives a busy CPU better. */
  latencyMs?: number
}

/** Players in order of preference: the lowest latency first (see docs/audio.md, "Choosing a player"). */
export function playerCandidates(platform: NodeJS.Platform): PlayerProgram[] {
  if (platform === 'darwin' || platform === 'win32') return ['play']
  return ['pacat', 'aplay', 'play']
}

/** On Windows SoX has no `play` alias: it is sox.exe with the waveaudio driver. */
function executableName(program: PlayerProgram, platform: NodeJS.Platform): string {
  return program === 'play' && platform === 'win32' ? 'sox' : program
}

export function playerCommand(
  program: PlayerProgram,
  o: { device?: string | null; platform: NodeJS.Platform; env: NodeJS.ProcessEnv; latencyMs?: number }
): { args: string[]; env: NodeJS.ProcessEnv } {
  const env: NodeJS.ProcessEnv = { ...o.env }
  const device = o.device ?? null
  const alsaName = device !== null && isAlsaDeviceName(device)
  if (device && !alsaName) env.PULSE_SINK = device
  const rate = String(PLAYBACK_SAMPLE_RATE)
  switch (program) {
    case 'pacat':
      // Without --latency-msec pacat buffers 2 s before the first sound.
      return {
        env,
        args: [
          '--playback',
          '--raw',
          '--format=s16le',
          `--rate=${rate}`,
          '--channels=1',
          `--latency-msec=${Math.round(o.latencyMs ?? DEFAULT_PACAT_LATENCY_MS)}`,
          '--client-name=MiMo Voice',
          ...(device ? ['-d', device] : [])
        ]
      }
    case 'aplay':
      return { env, args: ['-q', '-t', 'raw', '-f', 'S16_LE', '-r', rate, '-c', '1', ...(device ? ['-D', alsaName ? device : 'pulse'] : [])] }
    case 'play': {
      const input = ['-q', '-t', 'raw', '-r', rate, '-e', 'signed', '-b', '16', '-c', '1', '-']
      if (o.platform === 'win32') return { env, args: [...input, '-t', 'waveaudio', device ?? 'default'] }
      if (device) {
        env.AUDIODEV = device
        env.AUDIODRIVER ??= o.platform === 'darwin' ? 'coreaudio' : alsaName ? 'alsa' : 'pulseaudio'
      }
      return { env, args: input }
    }
  }
}

/** Finds and spawns the player; resolves once the process runs (before any audio). */
export async function createPlayer(o: PlayerOptions = {}): Promise<PcmSink> {
  const platform = o.platform ?? process.platform
  const env = o.env ?? process.env
  const findProgram = o.findProgram ?? findProgramOnPath(env, platform)
  const candidates = o.program ? [o.program] : playerCandidates(platform)
  const tried = candidates.map((p) => executableName(p, platform))
  let found: { program: PlayerProgram; path: string } | undefined
  for (const program of candidates) {
    const path = await findProgram(executableName(program, platform)).catch(() => null)
    if (path) {
      found = { program, path }
      break
    }
  }
  const hint = playerInstallHint(platform)
  if (!found) throw new PlayerMissingError(tried, hint)

  const { args, env: childEnv } = playerCommand(found.program, { device: o.device, platform, env, latencyMs: o.latencyMs })
  const child = spawn(found.path, args, { env: childEnv, stdio: ['pipe', 'ignore', 'pipe'], windowsHide: true })
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve)
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'ENOENT' || err.code === 'EACCES' ? new PlayerMissingError(tried, hint) : new AudioDeviceError(`The player (${found.program}) could not be started: ${err.message}`, 'failed', { program: found.program }))
    )
  })
  const sink = new ProcessPlayer(child, found.program, { env: childEnv, platform, run: runCommand })
  sink.setVolume(o.volume ?? 1)
  return sink
}

/** What the user chose for playback (the settings' output device and volume). */
export interface PlaybackSettings {
  outputDevice: string | null
  volume: number
}

/**
 * The one place settings become a player: every part that plays (answers, previews, the doctor, the
 * command) asks this factory, so the device and volume rules live here only.
 */
export function playerFactory(settings: () => PlaybackSettings, base: PlayerOptions = {}): (o?: PlayerOptions) => Promise<PcmSink> {
  return (o = {}) => {
    const s = settings()
    return createPlayer({ device: s.outputDevice, volume: s.volume, ...base, ...o })
  }
}

/** Multiplies PCM16LE samples by `volume` (copying); 1 returns the input. */
export function scalePcm16(pcm: Buffer, volume: number): Buffer {
  if (volume >= 1) return pcm
  const out = Buffer.allocUnsafe(pcm.length)
  for (let at = 0; at + 1 < pcm.length; at += 2) out.writeInt16LE(Math.round(pcm.readInt16LE(at) * volume), at)
  return out
}

function clampVolume(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 1
}

type PlayerState = 'playing' | 'ending' | 'ended' | 'stopped' | 'failed'

class ProcessPlayer extends EventEmitter implements PcmSink {
  private state: PlayerState = 'playing'
  private volume = 1
  private written = 0
  private readonly aligner = new SampleAligner()
  private stderr = ''
  private failure: AudioError | undefined
  private ending: Promise<void> | undefined
  private settleEnd: { resolve: () => void; reject: (e: AudioError) => void } | undefined

  constructor(
    private readonly child: ChildProcess,
    readonly program: PlayerProgram,
    private readonly diagnosis: { env: NodeJS.ProcessEnv; platform: NodeJS.Platform; run: RunCommand }
  ) {
    super()
    // A player that dies makes stdin writes fail with EPIPE: the exit below says what happened.
    child.stdin?.on('error', () => undefined)
    child.on('error', (err) => this.fail(new AudioDeviceError(`The player (${program}) failed: ${err.message}`, 'failed', { program })))
    child.stderr?.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 4000) this.stderr += chunk.toString('utf8')
    })
    child.on('close', (code, signal) => this.onClose(code, signal))
  }

  get bytesWritten(): number {
    return this.written
  }

  get pid(): number | undefined {
    return this.child.pid
  }

  write(pcm: Buffer): void {
    if (this.state !== 'playing' || pcm.length === 0) return
    this.written += pcm.length
    const aligned = this.aligner.align(pcm)
    if (aligned.length > 0) this.child.stdin?.write(scalePcm16(aligned, this.volume))
  }

  setVolume(v: number): void {
    this.volume = clampVolume(v)
  }

  end(): Promise<void> {
    if (this.ending) return this.ending
    if (this.state === 'failed') return Promise.reject(this.failure)
    if (this.state === 'stopped' || this.state === 'ended') return Promise.resolve()
    this.state = 'ending'
    this.ending = new Promise<void>((resolve, reject) => (this.settleEnd = { resolve, reject }))
    this.child.stdin?.end()
    return this.ending
  }

  stop(): void {
    if (this.state === 'stopped' || this.state === 'ended' || this.state === 'failed') return
    this.state = 'stopped'
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL')
    this.settleEnd?.resolve()
  }

  private onClose(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.state === 'stopped' || this.state === 'failed') return
    if (this.state === 'ending' && code === 0) {
      this.state = 'ended'
      this.settleEnd?.resolve()
      return
    }
    const details = { program: this.program, exitCode: code, signal, stderr: this.stderr.trim().slice(-1000) }
    void diagnoseOpenFailure(this.stderr, this.diagnosis)
      .catch(() => undefined)
      .then((open) => {
        if (open?.problem === 'no-daemon') {
          this.fail(new AudioDeviceError(`The sound server could not be reached, so answers cannot be played (${open.said}).`, 'no-daemon', details, SOUND_SERVER_HINT))
        } else if (open) {
          this.fail(new AudioDeviceError(`No speaker or headphones could be opened (${open.said}).`, 'no-device', details, 'Check the speaker, and the output device in Settings.'))
        } else if (signal) {
          this.fail(new AudioDeviceError(`The player (${this.program}) was stopped by ${signal} while speaking.`, 'killed', details, 'Try again. If it keeps happening, run the audio checks in Settings.'))
        } else {
          this.fail(
            new AudioDeviceError(`The player (${this.program}) stopped with exit code ${code} (${lastWords(this.stderr)}).`, 'failed', details, 'Check the output device in Settings, then try again.')
          )
        }
      })
  }

  private fail(err: AudioError): void {
    if (this.state === 'stopped' || this.state === 'ended' || this.state === 'failed') return
    this.state = 'failed'
    this.failure = err
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL')
    this.settleEnd?.reject(err)
    // An 'error' with no listener would throw: then end() alone reports it.
    if (this.listenerCount('error') > 0) this.emit('error', err)
  }
}

/** Writes a proper 24 kHz mono PCM16 WAV; the header's sizes are fixed when it ends or stops. */
export class WavFileSink extends EventEmitter implements PcmSink {
  private fd: number | undefined
  private dataBytes = 0
  private written = 0
  private volume = 1
  private closed = false
  private failure: AudioError | undefined
  private readonly aligner = new SampleAligner()
  readonly program = 'wav-file'

  constructor(
    readonly path: string,
    readonly sampleRate = PLAYBACK_SAMPLE_RATE
  ) {
    super()
    try {
      this.fd = openSync(path, 'w')
      const header = Buffer.alloc(44)
      writeWavHeader(header, sampleRate, 1, 0)
      writeSync(this.fd, header, 0, 44, 0)
    } catch (err) {
      this.fail(err)
    }
  }

  get bytesWritten(): number {
    return this.written
  }

  write(pcm: Buffer): void {
    if (this.closed || this.fd === undefined || pcm.length === 0) return
    this.written += pcm.length
    const aligned = scalePcm16(this.aligner.align(pcm), this.volume)
    try {
      writeSync(this.fd, aligned, 0, aligned.length, 44 + this.dataBytes)
      this.dataBytes += aligned.length
    } catch (err) {
      this.fail(err)
    }
  }

  setVolume(v: number): void {
    this.volume = clampVolume(v)
  }

  end(): Promise<void> {
    this.close()
    return this.failure ? Promise.reject(this.failure) : Promise.resolve()
  }

  stop(): void {
    this.close()
  }

  private close(): void {
    if (this.closed) return
    this.closed = true
    if (this.fd === undefined) return
    try {
      const header = Buffer.alloc(44)
      writeWavHeader(header, this.sampleRate, 1, this.dataBytes)
      writeSync(this.fd, header, 0, 44, 0)
      closeSync(this.fd)
    } catch (err) {
      this.fail(err)
    }
    this.fd = undefined
  }

  private fail(err: unknown): void {
    if (this.failure) return
    this.failure = new AudioOutputError(`The audio file ${this.path} could not be written: ${(err as Error).message ?? String(err)}`, 'Check the path and that the folder is writable.')
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd)
      } catch {
        // already failing
      }
      this.fd = undefined
    }
    this.closed = true
    // Reported on the next tick, so an error in the constructor still reaches listeners added after it.
    process.nextTick(() => {
      if (this.listenerCount('error') > 0) this.emit('error', this.failure)
    })
  }
}

/** Raw PCM16LE to a stream (stdout for `mimo-voice ... --raw`, or a test's collector). The stream is not ended unless asked. */
export class RawStreamSink extends EventEmitter implements PcmSink {
  private written = 0
  private volume = 1
  private closed = false
  private failure: AudioError | undefined
  private readonly aligner = new SampleAligner()
  readonly program = 'raw-stream'

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly o: { endStream?: boolean } = {}
  ) {
    super()
    stream.on('error', (err: Error) => this.fail(err))
  }

  get bytesWritten(): number {
    return this.written
  }

  write(pcm: Buffer): void {
    if (this.closed || pcm.length === 0) return
    this.written += pcm.length
    const aligned = this.aligner.align(pcm)
    if (aligned.length > 0) this.stream.write(scalePcm16(aligned, this.volume))
  }

  setVolume(v: number): void {
    this.volume = clampVolume(v)
  }

  end(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure)
    if (this.closed) return Promise.resolve()
    this.closed = true
    return new Promise<void>((resolve, reject) => {
      const done = (err?: Error | null) => {
        if (err) {
          this.fail(err)
          reject(this.failure)
        } else resolve()
      }
      // An empty write calls back once everything before it has been flushed.
      if (this.o.endStream) this.stream.end(() => done())
      else this.stream.write('', (err?: Error | null) => done(err))
    })
  }

  stop(): void {
    this.closed = true
  }

  private fail(err: Error): void {
    if (this.failure) return
    this.failure = new AudioOutputError(`The audio stream could not be written: ${err.message}`)
    this.closed = true
    if (this.listenerCount('error') > 0) this.emit('error', this.failure)
  }
}
