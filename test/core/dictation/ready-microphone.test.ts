import { describe, expect, it } from 'vitest'
import { Microphone } from '../../../src/core/audio/microphone'
import { ReadyMicrophone } from '../../../src/core/dictation/ready-microphone'
import type { MicrophonePermission } from '../../../src/core/ports'
import { voicePcm } from '../assistant/fake-recorder'
import { FakeListeningRecorder, quiet } from '../modes/fake-listening'

function rig(o: { enabled?: boolean; permission?: MicrophonePermission } = {}) {
  let enabled = o.enabled ?? true
  const microphone = new Microphone(o.permission)
  const recorder = new FakeListeningRecorder()
  const problems: Error[] = []
  const ready = new ReadyMicrophone({ recorder, microphone, enabled: () => enabled, preRollMs: 300, onProblem: (e) => problems.push(e) })
  return { ready, recorder, microphone, problems, setEnabled: (v: boolean) => (enabled = v) }
}

describe("dictation's open microphone", () => {
  it('keeps only the last 300 ms before the key; the taker gets every frame after', () => {
    const { ready, recorder } = rig()
    ready.update()
    recorder.last.feed(quiet(2000))
    const voice = voicePcm(200)
    recorder.last.feed(voice)
    const after: Int16Array[] = []
    const taken = ready.take((f) => after.push(f))!
    const preRollMs = (taken.preRoll.reduce((n, f) => n + f.length, 0) / 16000) * 1000
    expect(preRollMs).toBeGreaterThanOrEqual(300)
    expect(preRollMs).toBeLessThanOrEqual(350)
    expect(Array.from(taken.preRoll.slice(-4).flatMap((f) => Array.from(f)))).toEqual(Array.from(voice))
    recorder.last.feed(voicePcm(100))
    expect(after).toHaveLength(2)
    taken.release()
    recorder.last.feed(voicePcm(100))
    expect(after).toHaveLength(2)
  })

  it('gives way to every other user of the microphone and opens again when it is given back', () => {
    const { ready, recorder, microphone } = rig()
    ready.update()
    expect(ready.running).toBe(true)
    const claim = microphone.claimIfAllowed('conversation', () => {})!
    expect(ready.running).toBe(false)
    expect(recorder.sessions[0].cancelled).toBe(true)
    claim.release()
    expect(ready.running).toBe(true)
    expect(recorder.open).toHaveLength(1)
    // Dictation holding the microphone is its own use: it stays open.
    microphone.claimIfAllowed('dictation', () => {})
    expect(ready.running).toBe(true)
  })

  it('off when the setting is off, or before the system allowed the microphone; a failed stream is told once', () => {
    const a = rig({ enabled: false })
    a.ready.update()
    expect(a.ready.running).toBe(false)
    a.setEnabled(true)
    a.ready.update()
    expect(a.ready.running).toBe(true)
    a.setEnabled(false)
    a.ready.update()
    expect(a.recorder.open).toHaveLength(0)

    const b = rig({ permission: { isGranted: () => false, ensure: async () => true } })
    b.ready.update()
    expect(b.ready.running).toBe(false)

    const c = rig()
    c.ready.update()
    c.recorder.last.emit('error', new Error('the device went away'))
    expect(c.ready.running).toBe(false)
    expect(c.problems.map((e) => e.message)).toEqual(['the device went away'])
    expect(c.ready.take(() => {})).toBeUndefined()
  })
})
