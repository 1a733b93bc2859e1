import { describe, expect, it } from 'vitest'
import type { HotkeyStatus } from '../../../src/shared/ipc'
import { HotkeyController } from '../../../src/main/hotkey/hotkey-controller'
import { KeyHookUnavailableError } from '../../../src/main/hotkey/key-hook'
import { until } from '../../until'
import { FakeClock, FakeGlobalShortcut, FakeKeyHook, pressCombo, RecordingTarget, releaseCombo } from './fakes'

function setup(o: { env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform; loadFails?: string } = {}) {
  const target = new RecordingTarget()
  const clock = new FakeClock()
  const shortcuts = new FakeGlobalShortcut()
  const hook = new FakeKeyHook()
  const statuses: HotkeyStatus[] = []
  let loads = 0
  const controller = new HotkeyController({
    target,
    globalShortcut: shortcuts,
    loadHook: async () => {
      loads++
      if (o.loadFails) throw new KeyHookUnavailableError(o.loadFails)
      return hook
    },
    env: o.env ?? { XDG_SESSION_TYPE: 'x11' },
    platform: o.platform ?? 'linux',
    clock,
    onStatus: (s) => statuses.push(s)
  })
  return { target, clock, shortcuts, hook, statuses, controller, loads: () => loads }
}

describe('hotkey registration', () => {
  it('hold: the hook drives press on key-down and release on key-up; repeats do not re-trigger', async () => {
    const { controller, hook, target, shortcuts, statuses } = setup()
    const status = await controller.apply('CommandOrControl+Alt+Space', 'hold')
    expect(status).toEqual({ accelerator: 'CommandOrControl+Alt+Space', requestedMode: 'hold', activeMode: 'hold' })
    expect(statuses.at(-1)).toEqual(status)
    expect(shortcuts.registered.size).toBe(0)
    pressCombo(hook, 5)
    expect(target.calls).toEqual(['press'])
    releaseCombo(hook)
    expect(target.calls).toEqual(['press', 'release'])
  })

  it('hybrid: tap toggles, hold ends on release', async () => {
    const { controller, hook, target, clock } = setup()
    await controller.apply('Ctrl+Alt+Space', 'hybrid')
    pressCombo(hook)
    clock.advance(150)
    releaseCombo(hook)
    expect(target.calls).toEqual(['press'])
    pressCombo(hook)
    releaseCombo(hook)
    expect(target.calls).toEqual(['press', 'release'])
    pressCombo(hook)
    clock.advance(900)
    releaseCombo(hook)
    expect(target.calls).toEqual(['press', 'release', 'press', 'release'])
  })

  it('toggle mode uses globalShortcut and leaves the hook stopped', async () => {
    const { controller, hook, target, shortcuts } = setup()
    const status = await controller.apply('Ctrl+Alt+Space', 'toggle')
    expect(status.activeMode).toBe('toggle')
    expect(status.problem).toBeUndefined()
    expect(hook.running).toBe(false)
    shortcuts.press('Ctrl+Alt+Space')
    shortcuts.press('Ctrl+Alt+Space')
    expect(target.calls).toEqual(['toggle', 'toggle'])
  })

  it('on Wayland, hold falls back to toggle and says why', async () => {
    const { controller, shortcuts, target, loads } = setup({ env: { XDG_SESSION_TYPE: 'wayland' } })
    const status = await controller.apply('Ctrl+Alt+Space', 'hold')
    expect(status.activeMode).toBe('toggle')
    expect(status.problem).toMatch(/Wayland/)
    expect(loads()).toBe(0)
    shortcuts.press('Ctrl+Alt+Space')
    expect(target.calls).toEqual(['toggle'])
  })

  it('when the hook cannot start, falls back to toggle and shows the reason', async () => {
    const { controller, statuses } = setup({ loadFails: 'XOpenDisplay failure' })
    const status = await controller.apply('Ctrl+Alt+Space', 'hybrid')
    expect(status.activeMode).toBe('toggle')
    expect(status.problem).toMatch(/XOpenDisplay failure.*separate presses/)
    expect(statuses.at(-1)).toEqual(status)
  })

  it('on macOS a refused hook points at the Accessibility setting', async () => {
    const { controller, hook } = setup({ platform: 'darwin' })
    hook.failStart = new KeyHookUnavailableError('Failed to enable access for assistive devices.', 'UIOHOOK_ERROR_AXAPI_DISABLED')
    const status = await controller.apply('CommandOrControl+Alt+Space', 'hold')
    expect(status.activeMode).toBe('toggle')
    expect(status.problem).toMatch(/Accessibility/)
  })

  it('a shortcut taken by another app is reported, never swallowed', async () => {
    const { controller, shortcuts } = setup()
    shortcuts.taken.add('Ctrl+Alt+T')
    const status = await controller.apply('Ctrl+Alt+T', 'toggle')
    expect(status.activeMode).toBe('none')
    expect(status.problem).toMatch(/Ctrl\+Alt\+T is already taken.*Choose another shortcut/)
  })

  it('a key the hook cannot watch falls back, and if that fails too both reasons are shown', async () => {
    const { controller, shortcuts } = setup()
    shortcuts.taken.add('Ctrl+VolumeUp')
    const status = await controller.apply('Ctrl+VolumeUp', 'hold')
    expect(status.activeMode).toBe('none')
    expect(status.problem).toMatch(/cannot watch the key "VolumeUp".*already taken/)
  })

  it('an invalid shortcut is reported as it is', async () => {
    const { controller } = setup()
    const status = await controller.apply('Ctrl+Nope', 'hold')
    expect(status).toMatchObject({ activeMode: 'none', problem: expect.stringMatching(/"Nope" is not a key/) })
  })

  it('re-registering removes the old shortcut and the old key listeners', async () => {
    const { controller, hook, target, shortcuts } = setup()
    await controller.apply('Ctrl+Alt+Space', 'toggle')
    expect([...shortcuts.registered.keys()]).toEqual(['Ctrl+Alt+Space'])
    await controller.apply('Ctrl+Shift+K', 'hold')
    expect(shortcuts.registered.size).toBe(0)
    pressCombo(hook)
    expect(target.calls).toEqual([]) // Ctrl+Alt+Space is no longer the shortcut
    hook.emitDown(0x1d, { ctrlKey: true })
    hook.emitDown(0x2a, { ctrlKey: true, shiftKey: true })
    hook.emitDown(0x25, { ctrlKey: true, shiftKey: true })
    hook.emitUp(0x25, { ctrlKey: true, shiftKey: true })
    expect(target.calls).toEqual(['press', 'release'])
    await controller.apply('Ctrl+Shift+K', 'toggle')
    expect(hook.down.size).toBe(0)
    expect(hook.running).toBe(false)
    controller.dispose()
    expect(shortcuts.registered.size).toBe(0)
  })

  it('two quick changes: the last one wins', async () => {
    const { controller, hook, shortcuts } = setup()
    const first = controller.apply('Ctrl+Alt+Space', 'hold')
    const second = controller.apply('Ctrl+Alt+J', 'toggle')
    await Promise.all([first, second])
    expect(controller.status()).toMatchObject({ accelerator: 'Ctrl+Alt+J', activeMode: 'toggle' })
    expect(hook.down.size).toBe(0)
    expect([...shortcuts.registered.keys()]).toEqual(['Ctrl+Alt+J'])
  })

  it('a start overtaken by a change of shortcut is ended, and the newer registration stands', async () => {
    const { controller, hook, target, shortcuts } = setup()
    const finish: Array<() => void> = []
    hook.holdStart = (f) => finish.push(f)
    const first = controller.apply('Ctrl+Alt+Space', 'hold')
    await until(() => finish.length === 1)
    const second = controller.apply('Ctrl+Alt+J', 'toggle')
    await second
    finish[0]()
    await first
    expect(controller.status()).toMatchObject({ accelerator: 'Ctrl+Alt+J', activeMode: 'toggle' })
    expect(hook.running).toBe(false)
    expect([...shortcuts.registered.keys()]).toEqual(['Ctrl+Alt+J'])

    // Overtaken by another hold: the newer start runs the hook.
    const third = controller.apply('Ctrl+Alt+Space', 'hold')
    await until(() => finish.length === 2)
    const fourth = controller.apply('Ctrl+Alt+K', 'hold')
    await until(() => finish.length === 3)
    finish[1]()
    finish[2]()
    await Promise.all([third, fourth])
    expect(controller.status()).toMatchObject({ accelerator: 'Ctrl+Alt+K', activeMode: 'hold' })
    expect(hook.running).toBe(true)
    expect(hook.down.size).toBe(1)
    hook.emitDown(0x25, { ctrlKey: true, altKey: true })
    expect(target.calls).toEqual(['press'])
  })

  it('a hook lost while it runs: toggle through globalShortcut, the user is told; the next apply tries the hook again', async () => {
    const { controller, hook, target, shortcuts, statuses } = setup()
    await controller.apply('Ctrl+Alt+Space', 'hybrid')
    hook.lose("the key hook's process ended (SIGSEGV)")
    await until(() => statuses.length === 2)
    expect(statuses[1]).toEqual({
      accelerator: 'Ctrl+Alt+Space',
      requestedMode: 'hybrid',
      activeMode: 'toggle',
      problem: "Hold-to-talk stopped: the key hook's process ended (SIGSEGV). The shortcut starts and stops recording with separate presses instead."
    })
    expect(hook.down.size).toBe(0)
    shortcuts.press('Ctrl+Alt+Space')
    expect(target.calls).toEqual(['toggle'])

    const again = await controller.apply('Ctrl+Alt+Space', 'hybrid')
    expect(again).toEqual({ accelerator: 'Ctrl+Alt+Space', requestedMode: 'hybrid', activeMode: 'hybrid' })
    expect(hook.starts).toBe(2)
    expect(shortcuts.registered.size).toBe(0)
  })

  it('a hook lost after the shortcut moved on changes nothing', async () => {
    const { controller, hook, statuses } = setup()
    await controller.apply('Ctrl+Alt+Space', 'hold')
    const lose = [...hook.lost][0]
    await controller.apply('Ctrl+Alt+Space', 'toggle')
    lose('the key hook\'s process ended (SIGSEGV)')
    await new Promise((r) => setTimeout(r, 20))
    expect(statuses.at(-1)).toEqual({ accelerator: 'Ctrl+Alt+Space', requestedMode: 'toggle', activeMode: 'toggle' })
  })
})
