import { describe, expect, it } from 'vitest'
import { PushToTalk } from '../../../src/main/hotkey/push-to-talk'
import { FakeClock, RecordingTarget } from './fakes'

function setup(mode: 'hold' | 'toggle' | 'hybrid') {
  const target = new RecordingTarget()
  const clock = new FakeClock()
  return { target, clock, ptt: new PushToTalk(target, mode, clock) }
}

describe('push-to-talk rule', () => {
  it('hold: press starts, release ends; auto-repeat does not re-trigger', () => {
    const { target, ptt } = setup('hold')
    ptt.keyDown()
    ptt.keyDown()
    ptt.keyDown()
    ptt.keyUp()
    ptt.keyUp()
    expect(target.calls).toEqual(['press', 'release'])
  })

  it('hold: even a short tap ends on release', () => {
    const { target, clock, ptt } = setup('hold')
    ptt.keyDown()
    clock.advance(50)
    ptt.keyUp()
    expect(target.calls).toEqual(['press', 'release'])
  })

  it('toggle: each press toggles, releases and repeats do nothing', () => {
    const { target, ptt } = setup('toggle')
    ptt.keyDown()
    ptt.keyDown()
    ptt.keyUp()
    ptt.keyDown()
    ptt.keyUp()
    expect(target.calls).toEqual(['toggle', 'toggle'])
  })

  it('hybrid: a hold past 500 ms ends on release', () => {
    const { target, clock, ptt } = setup('hybrid')
    ptt.keyDown()
    clock.advance(800)
    ptt.keyUp()
    expect(target.calls).toEqual(['press', 'release'])
  })

  it('hybrid: a tap under 500 ms keeps recording; the next press ends it and its release does nothing', () => {
    const { target, clock, ptt } = setup('hybrid')
    ptt.keyDown()
    clock.advance(120)
    ptt.keyUp()
    expect(target.calls).toEqual(['press'])
    expect(target.phase()).toBe('recording')
    clock.advance(3000)
    ptt.keyDown()
    clock.advance(900)
    ptt.keyUp()
    expect(target.calls).toEqual(['press', 'release'])
  })

  it('hybrid: the threshold is 500 ms exactly', () => {
    const a = setup('hybrid')
    a.ptt.keyDown()
    a.clock.advance(499)
    a.ptt.keyUp()
    expect(a.target.calls).toEqual(['press'])
    const b = setup('hybrid')
    b.ptt.keyDown()
    b.clock.advance(500)
    b.ptt.keyUp()
    expect(b.target.calls).toEqual(['press', 'release'])
  })

  it('hybrid: after a tap, a recording that already ended (silence) makes the next press start a new one', () => {
    const { target, clock, ptt } = setup('hybrid')
    ptt.keyDown()
    clock.advance(100)
    ptt.keyUp()
    target.current = 'speaking' // stopped on silence, now answering
    ptt.keyDown()
    expect(target.calls).toEqual(['press', 'press'])
  })

  it('a press-only shortcut (globalShortcut) toggles', () => {
    const { target, ptt } = setup('hybrid')
    ptt.trigger()
    ptt.trigger()
    expect(target.calls).toEqual(['toggle', 'toggle'])
  })
})

/** A target that takes double taps, the way the talk shortcut does (it starts a conversation). */
class DoubleTapTarget extends RecordingTarget {
  doubleTap() {
    this.calls.push('doubleTap')
    this.current = 'idle'
  }
}

function setupDouble(mode: 'hold' | 'toggle' | 'hybrid') {
  const target = new DoubleTapTarget()
  const clock = new FakeClock()
  return { target, clock, ptt: new PushToTalk(target, mode, clock) }
}

describe('double tap', () => {
  it('hybrid: tap, then a press within 400 ms of its let-go is a double tap; its release does nothing', () => {
    const { target, clock, ptt } = setupDouble('hybrid')
    ptt.keyDown()
    clock.advance(80)
    ptt.keyUp()
    clock.advance(150)
    ptt.keyDown()
    clock.advance(80)
    ptt.keyUp()
    expect(target.calls).toEqual(['press', 'doubleTap'])
  })

  it('hybrid: a second press after 400 ms sends the recording the tap started', () => {
    const { target, clock, ptt } = setupDouble('hybrid')
    ptt.keyDown()
    clock.advance(80)
    ptt.keyUp()
    clock.advance(401)
    ptt.keyDown()
    ptt.keyUp()
    expect(target.calls).toEqual(['press', 'release'])
  })

  it('a hold is not the first half of a double tap', () => {
    const { target, clock, ptt } = setupDouble('hybrid')
    ptt.keyDown()
    clock.advance(900)
    ptt.keyUp()
    clock.advance(100)
    ptt.keyDown()
    expect(target.calls).toEqual(['press', 'release', 'press'])
  })

  it('the tap that sent a recording and a quick press after it are not a double tap', () => {
    const { target, clock, ptt } = setupDouble('hybrid')
    ptt.keyDown()
    clock.advance(80)
    ptt.keyUp() // latched
    clock.advance(3000)
    ptt.keyDown() // sends
    clock.advance(80)
    ptt.keyUp()
    clock.advance(100)
    ptt.keyDown()
    expect(target.calls).toEqual(['press', 'release', 'press'])
  })

  it('hold: two quick taps are a double tap (the first tap was sent on its release)', () => {
    const { target, clock, ptt } = setupDouble('hold')
    ptt.keyDown()
    clock.advance(60)
    ptt.keyUp()
    clock.advance(120)
    ptt.keyDown()
    ptt.keyUp()
    expect(target.calls).toEqual(['press', 'release', 'doubleTap'])
  })

  it('press-only shortcuts: two presses within 400 ms are a double tap; a press that ended a recording is not a first tap', () => {
    const { target, clock, ptt } = setupDouble('toggle')
    ptt.trigger()
    clock.advance(200)
    ptt.trigger()
    expect(target.calls).toEqual(['toggle', 'doubleTap'])
    target.current = 'recording'
    clock.advance(2000)
    ptt.trigger() // ends the recording
    clock.advance(100)
    ptt.trigger()
    expect(target.calls).toEqual(['toggle', 'doubleTap', 'toggle', 'toggle'])
  })

  it('a target without doubleTap keeps the ordinary rule', () => {
    const { target, clock, ptt } = setup('hybrid')
    ptt.keyDown()
    clock.advance(80)
    ptt.keyUp()
    clock.advance(100)
    ptt.keyDown()
    expect(target.calls).toEqual(['press', 'release'])
  })
})
