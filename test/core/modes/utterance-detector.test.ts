import { describe, expect, it } from 'vitest'
import { concatFrames } from '../../../src/core/audio/recorder'
import { UtteranceDetector, type UtteranceEvent } from '../../../src/core/modes/utterance-detector'
import { voicePcm } from '../assistant/fake-recorder'

const FRAME = 800 // 50 ms at 16 kHz

/** Feeds PCM in 50 ms frames, collecting events with the time (ms of audio fed so far) they came at. */
function feed(d: UtteranceDetector, pcm: Int16Array, t0 = 0): Array<UtteranceEvent & { at: number }> {
  const out: Array<UtteranceEvent & { at: number }> = []
  for (let i = 0; i < pcm.length; i += FRAME) {
    const at = t0 + ((i + FRAME) / 16000) * 1000
    for (const e of d.push(pcm.subarray(i, i + FRAME))) out.push({ ...e, at })
  }
  return out
}

const quiet = (ms: number) => new Int16Array((ms / 1000) * 16000)
const concat = (...parts: Int16Array[]) => concatFrames(parts)

describe('UtteranceDetector', () => {
  it('speech then a pause of pauseMs is one utterance holding all of the speech and a little before it', () => {
    const d = new UtteranceDetector({ pauseMs: () => 800 })
    d.listen()
    const voice = voicePcm(1000)
    const events = feed(d, concat(quiet(1000), voice, quiet(1500)))
    expect(events.map((e) => e.type)).toEqual(['speech-start', 'utterance'])
    // Speech is recognised after ~120 ms of it; the turn ends ~800 ms after the voice stops (at 2000 ms).
    expect(events[0].at).toBeGreaterThan(1000)
    expect(events[0].at).toBeLessThanOrEqual(1250)
    expect(events[1].at).toBeGreaterThanOrEqual(2000 + 800)
    expect(events[1].at).toBeLessThanOrEqual(2000 + 800 + 400)
    const u = (events[1] as Extract<UtteranceEvent, { type: 'utterance' }>).utterance
    // The whole voice is inside, from its first sample (the pre-roll reaches back before the onset).
    const startsAt = u.pcm.findIndex((v) => v !== 0) - voice.findIndex((v) => v !== 0)
    expect(Array.from(u.pcm.subarray(startsAt, startsAt + voice.length))).toEqual(Array.from(voice))
    expect(startsAt).toBeGreaterThan(0)
  })

  it('a shorter pause keeps the words in one turn; the setting is read as it changes', () => {
    let pause = 800
    const d = new UtteranceDetector({ pauseMs: () => pause })
    d.listen()
    const events = feed(d, concat(voicePcm(600), quiet(500), voicePcm(600), quiet(1200)))
    expect(events.map((e) => e.type)).toEqual(['speech-start', 'utterance'])
    pause = 2000
    const later = feed(d, concat(voicePcm(600), quiet(1500), voicePcm(400), quiet(2500)))
    expect(later.map((e) => e.type)).toEqual(['speech-start', 'utterance'])
  })

  it('muted, speech is not heard; listening again waits for a quiet frame before a turn can start', () => {
    const d = new UtteranceDetector({ pauseMs: () => 800 })
    expect(feed(d, concat(voicePcm(800), quiet(300)))).toEqual([])
    d.listen()
    d.mute()
    expect(feed(d, voicePcm(400))).toEqual([])
    // Opened in the middle of a sound (an answer's echo tail): that sound does not start a turn.
    d.listen()
    expect(feed(d, voicePcm(400))).toEqual([])
    const events = feed(d, concat(quiet(600), voicePcm(500), quiet(1000)))
    expect(events.map((e) => e.type)).toEqual(['speech-start', 'utterance'])
  })

  it('a very long utterance is cut at the limit', () => {
    const d = new UtteranceDetector({ pauseMs: () => 800, maxUtteranceMs: 2000 })
    d.listen()
    const events = feed(d, voicePcm(5000))
    const cuts = events.filter((e) => e.type === 'utterance')
    expect(cuts.length).toBe(2)
  })

  it('a sound too short to be speech (a click, a cough) is noise, not a question', () => {
    const d = new UtteranceDetector({ pauseMs: () => 800 })
    d.listen()
    const events = feed(d, concat(quiet(500), voicePcm(150), quiet(1200)))
    expect(events.map((e) => e.type)).toEqual(['speech-start', 'noise'])
    expect(d.hearing).toBe(false)
    const next = feed(d, concat(voicePcm(600), quiet(1000)))
    expect(next.map((e) => e.type)).toEqual(['speech-start', 'utterance'])
  })
})
