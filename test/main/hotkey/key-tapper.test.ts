import { describe, expect, it } from 'vitest'
import { appKeySenders, hookKeySender } from '../../../src/main/hotkey/key-tapper'
import { HOOK_KEYCODES, MODIFIER_KEYCODES } from '../../../src/main/hotkey/hook-keycodes'
import { FakeKeyHook } from './fakes'

class TappingHook extends FakeKeyHook {
  taps: Array<[number, number[]]> = []
  keyTap(keycode: number, modifiers: number[]) {
    this.taps.push([keycode, modifiers])
  }
}

describe("the paste keystroke through the app's key library", () => {
  it('sends each paste key as its key with its modifiers held', async () => {
    const hook = new TappingHook()
    const sender = hookKeySender({ loadHook: async () => hook, env: {}, platform: 'darwin' })
    await sender.send('cmd+v')
    await sender.send('ctrl+shift+v')
    await sender.send('shift+insert')
    expect(hook.taps).toEqual([
      [HOOK_KEYCODES.v, [MODIFIER_KEYCODES.meta[0]]],
      [HOOK_KEYCODES.v, [MODIFIER_KEYCODES.ctrl[0], MODIFIER_KEYCODES.shift[0]]],
      [HOOK_KEYCODES.insert, [MODIFIER_KEYCODES.shift[0]]]
    ])
  })

  it('declines on Wayland (it would reach X apps only), and where the library cannot send keys', async () => {
    const wayland = hookKeySender({ loadHook: async () => new TappingHook(), env: { XDG_SESSION_TYPE: 'wayland' }, platform: 'linux' })
    await expect(wayland.send('ctrl+v')).rejects.toThrow('not on Wayland')
    const plain = hookKeySender({ loadHook: async () => new FakeKeyHook(), env: {}, platform: 'win32' })
    await expect(plain.send('ctrl+v')).rejects.toThrow(/cannot send keys/)
  })

  it("on Linux xdotool's real keystroke comes first (terminals ignore the library's synthetic one); elsewhere the library", () => {
    const loadHook = async () => new TappingHook()
    expect(appKeySenders({ loadHook, env: { DISPLAY: ':0' }, platform: 'linux' }).map((s) => s.name)).toEqual(['xdotool', 'uiohook'])
    expect(appKeySenders({ loadHook, env: { WAYLAND_DISPLAY: 'wayland-0' }, platform: 'linux' }).map((s) => s.name)).toEqual(['wtype', 'ydotool', 'uiohook'])
    expect(appKeySenders({ loadHook, env: {}, platform: 'darwin' }).map((s) => s.name)).toEqual(['uiohook', 'osascript'])
    expect(appKeySenders({ loadHook, env: {}, platform: 'win32' }).map((s) => s.name)).toEqual(['uiohook'])
  })
})
