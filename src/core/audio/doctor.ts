/**
 * The audio part of the doctor: is there a recorder and a player, does the microphone give sound,
 * does playback finish. Each failing check carries the fix (an install command, a setting to look at).
 */
import type { DoctorCheck, MicTestResult } from '../../shared/audio'
import { Microphone } from './microphone'
import { AudioError } from './errors'
import { measureLevel } from './level'
import { PLAYBACK_SAMPLE_RATE, type createPlayer as CreatePlayer, type PcmSink } from './player'
import type { Recorder } from './recorder'

/** Below this peak the microphone delivered digital silence: muted, or not a microphone at all. */
const SILENT_PEAK_DBFS = -90
/** Below this RMS the microphone works but is too quiet to be heard reliably. */
const QUIET_RMS_DBFS = -70
const PLAYBACK_TIMEOUT_MS = 5000

export interface AudioCheckOptions {
  recorder: Recorder
  /** Makes a player with the user's device and volume (bound by the caller). */
  createPlayer: typeof CreatePlayer
  /** Record one second from the microphone (default true). */
  micTest?: boolean
  /** The app's microphone (permission, one user at a time); the command has one of its own. */
  microphone?: Microphone
}

/**
 * Records `ms` from the microphone and measures it. Rejects with the recorder's AudioError. It holds
 * the microphone while it listens: a press of push-to-talk takes it back and ends the test early.
 */
export async function micTest(recorder: Recorder, microphone: Microphone, ms = 1000): Promise<MicTestResult> {
  let taken = (): void => {}
  const claim = await microphone.claim('mic-test', () => taken())
  const session = recorder.start({ maxDurationMs: ms, stopOnSilenceMs: null })
  await new Promise<void>((resolve) => {
    taken = resolve
    session.on('autostop', () => resolve())
    session.on('error', () => resolve())
  })
  claim.release()
  const recording = await session.stop()
  const level = measureLevel(recording.pcm)
  return { rmsDbfs: round1(level.rmsDbfs), peakDbfs: round1(level.peakDbfs), speechHeard: recording.heardSpeech, durationMs: recording.durationMs }
}

export async function runAudioChecks(o: AudioCheckOptions): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = []

  let recorderOk = false
  try {
    const found = await o.recorder.findRecorder()
    recorderOk = true
    checks.push({ id: 'recorder', status: 'ok', label: 'Recorder', detail: `${found.program} (${found.path})` })
  } catch (err) {
    checks.push(failed('recorder', 'Recorder', err))
  }

  let sink: PcmSink | undefined
  try {
    sink = await o.createPlayer()
    checks.push({ id: 'player', status: 'ok', label: 'Player', detail: sink.program ?? 'ready' })
  } catch (err) {
    checks.push(failed('player', 'Player', err))
  }

  if (o.micTest === false) {
    checks.push({ id: 'microphone', status: 'skipped', label: 'Microphone', detail: 'Not tested.' })
  } else if (!recorderOk) {
    checks.push({ id: 'microphone', status: 'skipped', label: 'Microphone', detail: 'Needs a recorder first.' })
  } else {
    checks.push(await microphoneCheck(o.recorder, o.microphone ?? new Microphone()))
  }

  if (sink) checks.push(await playbackCheck(sink))
  else checks.push({ id: 'playback', status: 'skipped', label: 'Playback', detail: 'Needs a player first.' })
  return checks
}

async function microphoneCheck(recorder: Recorder, microphone: Microphone): Promise<DoctorCheck> {
  const label = 'Microphone'
  let result: MicTestResult
  try {
    result = await micTest(recorder, microphone, 1000)
  } catch (err) {
    return failed('microphone', label, err)
  }
  const level = `level ${result.rmsDbfs} dBFS, peak ${result.peakDbfs} dBFS over ${(result.durationMs / 1000).toFixed(1)} s`
  if (result.durationMs === 0 || result.peakDbfs <= SILENT_PEAK_DBFS) {
    return {
      id: 'microphone',
      status: 'fail',
      label,
      detail: `The microphone gave only silence (${level}).`,
      hint: 'Check that the microphone is connected and not muted, and pick it as the input device in Settings.'
    }
  }
  if (result.rmsDbfs < QUIET_RMS_DBFS && !result.speechHeard) {
    return { id: 'microphone', status: 'warn', label, detail: `The microphone is very quiet (${level}).`, hint: 'Raise the input volume in the system sound settings.' }
  }
  return { id: 'microphone', status: 'ok', label, detail: `Sound heard: ${level}${result.speechHeard ? ', speech detected' : ''}.` }
}

async function playbackCheck(sink: PcmSink): Promise<DoctorCheck> {
  const label = 'Playback'
  const started = Date.now()
  let timer: NodeJS.Timeout | undefined
  const errors = new Promise<never>((_, reject) => sink.on('error', reject))
  errors.catch(() => undefined)
  try {
    sink.write(testTone(300))
    await Promise.race([
      sink.end(),
      errors,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the player did not finish a 0.3 s tone within ${PLAYBACK_TIMEOUT_MS / 1000} s`)), PLAYBACK_TIMEOUT_MS)
      })
    ])
    return { id: 'playback', status: 'ok', label, detail: `${sink.program ?? 'The player'} played a 0.3 s tone and finished in ${Date.now() - started} ms.` }
  } catch (err) {
    sink.stop()
    return failed('playback', label, err)
  } finally {
    if (timer) clearTimeout(timer)
  }
}

function failed(id: DoctorCheck['id'], label: string, err: unknown): DoctorCheck {
  if (err instanceof AudioError) {
    const user = err.toUserError()
    return { id, status: 'fail', label, detail: user.message, ...(user.hint ? { hint: user.hint } : {}) }
  }
  return { id, status: 'fail', label, detail: err instanceof Error ? err.message : String(err) }
}

/** A soft 660 Hz tone, faded in and out so it does not click. PCM16LE mono at the player's rate. */
export function testTone(ms: number, frequency = 660, amplitude = 0.2): Buffer {
  const n = Math.round((ms * PLAYBACK_SAMPLE_RATE) / 1000)
  const fade = Math.min(n / 2, PLAYBACK_SAMPLE_RATE * 0.02)
  const out = Buffer.alloc(n * 2)
  for (let i = 0; i < n; i++) {
    const envelope = Math.min(1, i / fade, (n - 1 - i) / fade)
    out.writeInt16LE(Math.round(Math.sin((2 * Math.PI * frequency * i) / PLAYBACK_SAMPLE_RATE) * amplitude * envelope * 32767), i * 2)
  }
  return out
}

function round1(x: number): number {
  return Math.round(x * 10) / 10
}
