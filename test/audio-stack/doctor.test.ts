import { beforeAll, describe, expect, it } from 'vitest'
import { micTest, runAudioChecks } from '../../src/core/audio/doctor'
import { Microphone } from '../../src/core/audio/microphone'
import { createPlayer } from '../../src/core/audio/player'
import { Recorder, type RecordingSession, type StartOptions } from '../../src/core/audio/recorder'
import { captureMonitor, ensureAudioStack, makeSpeech, soundSpan, speakIntoMic } from './pulse'

let speech: Buffer

beforeAll(async () => {
  await ensureAudioStack()
  speech = await makeSpeech('Testing the microphone, one two three.')
})

/** A real recorder that starts talking into the virtual microphone once it hears its first frame. */
class TalkingRecorder extends Recorder {
  talking: Promise<void> = Promise.resolve()

  override start(o?: StartOptions): RecordingSession {
    const session = super.start(o)
    let once = false
    session.on('level', () => {
      if (once) return
      once = true
      this.talking = speakIntoMic(speech)
    })
    return session
  }
}

const byId = (checks: Awaited<ReturnType<typeof runAudioChecks>>) => Object.fromEntries(checks.map((c) => [c.id, c]))

describe('audio checks on the test stack', () => {
  it('all pass when the microphone hears speech, and the tone reaches the speaker', async () => {
    const capture = await captureMonitor()
    const recorder = new TalkingRecorder()
    const checks = await runAudioChecks({ recorder, createPlayer })
    await recorder.talking
    const heard = await capture.stop()

    expect(checks.map((c) => c.id)).toEqual(['recorder', 'player', 'microphone', 'playback'])
    const c = byId(checks)
    expect(c.recorder).toMatchObject({ status: 'ok' })
    expect(c.recorder.detail).toMatch(/^sox /)
    expect(c.player).toMatchObject({ status: 'ok', detail: 'pacat' })
    expect(c.microphone.status).toBe('ok')
    expect(c.microphone.detail).toMatch(/speech detected/)
    expect(c.playback.status).toBe('ok')
    // The test tone really sounded at the speaker: about 0.3 s of it.
    const span = soundSpan(heard, 24000)
    expect(span).not.toBeNull()
    expect((span!.last - span!.first) / 24000).toBeGreaterThan(0.2)
  })

  it('a silent microphone fails the microphone check with what to do', async () => {
    const checks = byId(await runAudioChecks({ recorder: new Recorder(), createPlayer }))
    expect(checks.microphone.status).toBe('fail')
    expect(checks.microphone.detail).toMatch(/only silence/)
    expect(checks.microphone.hint).toMatch(/input device/)
  })

  it('nothing installed: recorder and player fail with install hints, the rest is skipped', async () => {
    const none = async () => null
    const checks = byId(
      await runAudioChecks({
        recorder: new Recorder({ findProgram: none, platform: 'linux' }),
        createPlayer: (o) => createPlayer({ ...o, findProgram: none, platform: 'linux' })
      })
    )
    expect(checks.recorder).toMatchObject({ status: 'fail' })
    expect(checks.recorder.hint).toContain('sudo apt install sox')
    expect(checks.player.status).toBe('fail')
    expect(checks.player.hint).toContain('pulseaudio-utils')
    expect(checks.microphone.status).toBe('skipped')
    expect(checks.playback.status).toBe('skipped')
  })

  it('no sound server: the microphone and playback checks fail with the server hint', async () => {
    const env = { ...process.env, PULSE_SERVER: 'unix:/tmp/mimo-voice-no-such-pulse/native' }
    const checks = byId(await runAudioChecks({ recorder: new Recorder({ env }), createPlayer: (o) => createPlayer({ ...o, env }) }))
    expect(checks.recorder.status).toBe('ok')
    expect(checks.microphone.status).toBe('fail')
    expect(checks.microphone.hint).toMatch(/PulseAudio|PipeWire/)
    expect(checks.playback.status).toBe('fail')
  })

  it('micTest measures one second of what the microphone hears', async () => {
    const recorder = new TalkingRecorder()
    const result = await micTest(recorder, new Microphone(), 1000)
    await recorder.talking
    expect(result.durationMs).toBe(1000)
    expect(result.speechHeard).toBe(true)
    expect(result.rmsDbfs).toBeGreaterThan(-40)
    expect(result.peakDbfs).toBeGreaterThan(result.rmsDbfs)
  })
})
