// The app wiring for voice samples (createMainApp with fakes for every Electron object): the recorder's
// level and its stopping by itself reach the window, and a deleted voice in use moves the tray to the
// default voice. (The microphone rules are the core's: test/core/audio/microphone.test.ts.)
import { describe, expect, it } from 'vitest'
import { dispatchInvoke } from '../../src/main/ipc-dispatch'
import { fakeServices } from './electron/fake-services'
import { appRig } from './app-rig'

function setup() {
  const s = fakeServices()
  s.settings.value = { ...s.settings.value, firstRunDone: true }
  return { s, ...appRig({ services: s, platform: 'darwin' }) }
}

describe('voice samples in the app wiring', () => {
  it('forwards the sample level and "stopped" to the window (after its handshake), and stops on app stop', async () => {
    const t = setup()
    await t.app.start()
    await t.handlers()['settings:get'](undefined)
    const level = { rmsDbfs: -21.5, peakDbfs: -7, speech: true, elapsedMs: 850 }
    t.s.voices.samples.emitLevel(level)
    t.s.voices.samples.emitStopped({ reason: 'max-length' })
    expect(t.sent).toEqual([
      ['samples:level', level],
      ['samples:stopped', { reason: 'max-length' }]
    ])
    t.app.stop()
    expect(t.s.voices.samples.listenerCount()).toBe(0)
  })

  it('deleting the voice in use: the settings fall back to the default, and the window and the tray follow', async () => {
    const t = setup()
    t.s.voices.saved = [{ ref: { kind: 'clone', id: 'me' }, name: 'Me' }]
    t.s.settings.value = { ...t.s.settings.value, voice: { kind: 'clone', id: 'me' } }
    await t.app.start()
    await t.handlers()['settings:get'](undefined)
    const before = t.views.at(-1)!.menu.find((i) => i.id === 'voice')!.submenu!
    expect(before.filter((i) => i.checked).map((i) => i.id)).toEqual(['voice-clone-me'])
    const r = await dispatchInvoke(t.handlers(), 'voices:delete', { id: 'me' })
    expect(r).toMatchObject({ ok: true, value: { settings: { voice: { kind: 'builtin', id: 'mimo_default' } } } })
    expect(t.s.voices.calls).toEqual([['remove', 'me']])
    const channels = t.sent.map(([c]) => c)
    expect(channels).toContain('voices:changed')
    expect(t.sent.find(([c]) => c === 'settings:changed')?.[1]).toMatchObject({ settings: { voice: { kind: 'builtin', id: 'mimo_default' } } })
    // The tray's voice menu: the default voice is the checked one, the deleted voice is gone.
    const items = t.views.at(-1)!.menu.find((i) => i.id === 'voice')!.submenu!
    expect(items.filter((i) => i.checked).map((i) => i.id)).toEqual(['voice-builtin-mimo_default'])
    expect(items.map((i) => i.id)).not.toContain('voice-clone-me')
  })
})
