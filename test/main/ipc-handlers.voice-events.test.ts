// The app wiring for voice samples (createMainApp with fakes for every Electron object): the recorder's
// level and its stopping by itself reach the window, a deleted voice in use moves the tray to the default
// voice, and recording a sample asks for the microphone where the system wants that asked.
import { describe, expect, it } from 'vitest'
import { createMainApp } from '../../src/main/app'
import type { TrayView } from '../../src/main/electron/tray-menu'
import { dispatchInvoke } from '../../src/main/ipc-dispatch'
import type { Handlers } from '../../src/shared/ipc'
import { FakeClock, FakeGlobalShortcut, FakeKeyHook } from './hotkey/fakes'
import { fakeServices } from './electron/fake-services'

function setup(microphone = { granted: true, answer: true }) {
  const s = fakeServices()
  s.settings.value = { ...s.settings.value, firstRunDone: true }
  const sent: Array<[string, unknown]> = []
  const views: TrayView[] = []
  let asked = 0
  let served: Handlers | null = null
  const app = createMainApp({
    services: s,
    window: { show() {}, send: (c, p) => sent.push([c, p]) },
    tray: { render: (v) => views.push(v) },
    serveIpc: (h) => {
      served = h
      return () => {}
    },
    globalShortcut: new FakeGlobalShortcut(),
    loadHook: async () => new FakeKeyHook(),
    notifier: { isSupported: () => true, show() {} },
    microphone: {
      isGranted: () => microphone.granted,
      ensure: async () => {
        asked++
        microphone.granted = microphone.answer
        return microphone.answer
      }
    },
    quit() {},
    version: '0.1.0',
    platform: 'darwin',
    env: {},
    clock: new FakeClock()
  })
  return { s, app, sent, views, handlers: () => served!, asked: () => asked }
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

  it('recording a sample asks for the microphone first; refused, nothing records', async () => {
    const denied = setup({ granted: false, answer: false })
    await denied.app.start()
    const r = await dispatchInvoke(denied.handlers(), 'samples:record-start', undefined)
    expect(r).toMatchObject({ ok: false, error: { kind: 'audio', message: 'MiMo Voice may not use the microphone.' } })
    expect(denied.asked()).toBe(1)
    expect(denied.s.voices.samples.calls).toEqual([])

    const allowed = setup({ granted: false, answer: true })
    await allowed.app.start()
    expect(await dispatchInvoke(allowed.handlers(), 'samples:record-start', undefined)).toEqual({ ok: true, value: { maxDurationMs: 35_000 } })
    expect(allowed.s.voices.samples.calls).toEqual(['start'])
    // Asked once: granted stays granted.
    await dispatchInvoke(allowed.handlers(), 'samples:record-start', undefined)
    expect(allowed.asked()).toBe(1)
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
