import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { Microphone, MicrophoneDeniedError } from '../../../src/core/audio/microphone'
import type { RecordingSessionPort } from '../../../src/core/audio/recorder'
import { createSampleRecorder } from '../../../src/core/voices/sample-recorder'
import type { SampleRecordingStopped } from '../../../src/shared/voices'
import { permission } from '../audio/fake-permission'

class FakeSession extends EventEmitter implements RecordingSessionPort {
  cancelled = false
  async stop() {
    return { pcm: new Int16Array(16000), sampleRate: 16000, durationMs: 1000, heardSpeech: true, peakDbfs: -6, rmsDbfs: -20 } as never
  }
  cancel() {
    this.cancelled = true
  }
}

describe('the voice-sample recorder on the one microphone', () => {
  function rig(mic = new Microphone()) {
    const sessions: FakeSession[] = []
    const stopped: SampleRecordingStopped[] = []
    const samples = createSampleRecorder({
      microphone: mic,
      recorder: () => ({ start: () => (sessions.push(new FakeSession()), sessions.at(-1)!) }),
      check: async () => ({ draftId: 'd1', quality: {} as never })
    })
    samples.on('stopped', (s) => stopped.push(s))
    return { mic, samples, sessions, stopped }
  }

  it('push-to-talk takes the microphone: the sample recording is dropped and the window told why', async () => {
    const r = rig()
    await r.samples.start()
    await r.mic.claim('push-to-talk', () => {})
    expect(r.samples.recording).toBe(false)
    expect(r.sessions[0].cancelled).toBe(true)
    expect(r.stopped).toEqual([{ reason: 'error', error: { kind: 'audio', message: expect.stringMatching(/push-to-talk took the microphone.*again/) } }])
  })

  it('asks for the microphone first; refused, nothing records', async () => {
    const r = rig(new Microphone(permission(false, false)))
    await expect(r.samples.start()).rejects.toBeInstanceOf(MicrophoneDeniedError)
    expect(r.sessions).toHaveLength(0)
  })

  it('gives the microphone back when the sample is stopped or cancelled', async () => {
    const r = rig()
    await r.samples.start()
    expect(r.mic.holder).toBe('voice-sample')
    await r.samples.stop()
    expect(r.mic.holder).toBeUndefined()
    await r.samples.start()
    r.samples.cancel()
    expect(r.mic.holder).toBeUndefined()
    expect(r.stopped).toEqual([])
  })
})
