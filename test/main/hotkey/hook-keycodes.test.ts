import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { endsCombo, HOOK_KEYCODES, hookComboFor, isComboDown, MODIFIER_KEYCODES } from '../../../src/main/hotkey/hook-keycodes'

const require = createRequire(import.meta.url)
// Loading uiohook-napi loads its native library, in plain Node (starting the hook is another matter).
const { UiohookKey } = require('uiohook-napi') as { UiohookKey: Record<string, number> }

describe('accelerator -> uiohook keycodes', () => {
  it('the table agrees with uiohook-napi for every key both name', () => {
    const pairs: Array<[string, string]> = [
      ['space', 'Space'], ['tab', 'Tab'], ['enter', 'Enter'], ['escape', 'Escape'], ['backspace', 'Backspace'],
      ['up', 'ArrowUp'], ['down', 'ArrowDown'], ['left', 'ArrowLeft'], ['right', 'ArrowRight'], ['home', 'Home'],
      ['end', 'End'], ['pageup', 'PageUp'], ['pagedown', 'PageDown'], ['insert', 'Insert'], ['delete', 'Delete'],
      ['num0', 'Numpad0'], ['num9', 'Numpad9'], ['numadd', 'NumpadAdd'], ['numdiv', 'NumpadDivide'],
      [';', 'Semicolon'], ['=', 'Equal'], [',', 'Comma'], ['-', 'Minus'], ['.', 'Period'], ['/', 'Slash'],
      ['`', 'Backquote'], ['[', 'BracketLeft'], ['\\', 'Backslash'], [']', 'BracketRight'], ["'", 'Quote'],
      ['capslock', 'CapsLock'], ['numlock', 'NumLock'], ['scrolllock', 'ScrollLock'], ['printscreen', 'PrintScreen']
    ]
    for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') pairs.push([c.toLowerCase(), c])
    for (let d = 0; d <= 9; d++) pairs.push([String(d), String(d)])
    for (let f = 1; f <= 24; f++) pairs.push([`f${f}`, `F${f}`])
    for (const [ours, theirs] of pairs) expect([ours, HOOK_KEYCODES[ours]]).toEqual([ours, UiohookKey[theirs]])
    expect(MODIFIER_KEYCODES.ctrl).toEqual([UiohookKey.Ctrl, UiohookKey.CtrlRight])
    expect(MODIFIER_KEYCODES.alt).toEqual([UiohookKey.Alt, UiohookKey.AltRight])
    expect(MODIFIER_KEYCODES.shift).toEqual([UiohookKey.Shift, UiohookKey.ShiftRight])
    expect(MODIFIER_KEYCODES.meta).toEqual([UiohookKey.Meta, UiohookKey.MetaRight])
  })

  it('CommandOrControl is Ctrl on Linux and Windows, Cmd (meta) on macOS', () => {
    expect(hookComboFor('CommandOrControl+Alt+Space', 'linux')).toEqual({ keycode: 0x39, ctrl: true, alt: true, shift: false, meta: false })
    expect(hookComboFor('CmdOrCtrl+Shift+K', 'darwin')).toEqual({ keycode: 0x25, ctrl: false, alt: false, shift: true, meta: true })
    expect(hookComboFor('Super+F5', 'linux')).toEqual({ keycode: 0x3f, ctrl: false, alt: false, shift: false, meta: true })
  })

  it('says why a shortcut cannot be held', () => {
    expect(hookComboFor('Ctrl+VolumeUp', 'linux')).toMatch(/cannot watch the key "VolumeUp"/)
    expect(hookComboFor('Space', 'linux')).toMatch(/at least one modifier/)
  })

  it('matches only the exact modifiers, and any of them released ends the hold', () => {
    const combo = hookComboFor('Ctrl+Alt+Space', 'linux')
    if (typeof combo === 'string') throw new Error(combo)
    const e = { keycode: 0x39, ctrlKey: true, altKey: true, shiftKey: false, metaKey: false }
    expect(isComboDown(combo, e)).toBe(true)
    expect(isComboDown(combo, { ...e, shiftKey: true })).toBe(false)
    expect(isComboDown(combo, { ...e, altKey: false })).toBe(false)
    expect(endsCombo(combo, { ...e, keycode: 0x0e38 })).toBe(true) // right Alt
    expect(endsCombo(combo, { ...e, keycode: 0x2a })).toBe(false) // Shift is not part of it
  })
})
